using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace HaTools.HostTests;

/// <summary>A PowerShell host that records what the engine shows a user (the "What if:" lines, confirmation
/// prompts, progress with its source id) and answers every prompt with a fixed choice, as a person at a console would.</summary>
internal sealed class RecordingHost : PSHost
{
    private readonly RecordingUI _ui;

    /// <param name="answer">The label (without '&amp;') of the choice picked for every prompt: "Yes", "No", "Yes to All" …</param>
    public RecordingHost(string answer = "No") => _ui = new RecordingUI(answer);

    public IReadOnlyCollection<string> Lines => _ui.Lines;
    public IReadOnlyCollection<(string Caption, string Message)> Prompts => _ui.Prompts;
    /// <summary>Every progress record the host was handed, with the source id it came under (a console keys its bars on both).</summary>
    public IReadOnlyCollection<(long SourceId, ProgressRecord Record)> Progress => _ui.Progress;

    public override string Name => "HaTools.HostTests";
    public override Version Version { get; } = new Version(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingUI : PSHostUserInterface
    {
        private readonly string _answer;

        public RecordingUI(string answer) => _answer = answer;

        public ConcurrentQueue<string> Lines { get; } = new();
        public ConcurrentQueue<(string, string)> Prompts { get; } = new();
        public ConcurrentQueue<(long, ProgressRecord)> Progress { get; } = new();

        // No console behind this host: the engine then formats without window sizes.
        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Enqueue((caption, message));
            for (var i = 0; i < choices.Count; i++)
                if (string.Equals(choices[i].Label.Replace("&", ""), _answer, StringComparison.OrdinalIgnoreCase)) return i;
            throw new InvalidOperationException($"no choice '{_answer}' in: {string.Join(", ", choices.Select(c => c.Label))}");
        }

        public override void Write(string value) => Lines.Enqueue(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);
        public override void WriteLine(string value) => Lines.Enqueue(value);
        public override void WriteErrorLine(string value) => Lines.Enqueue(value);
        public override void WriteDebugLine(string message) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Enqueue((sourceId, record));

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("HaTools asked for input: " + caption);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("HaTools asked for a credential");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("HaTools asked for a credential");
        public override string ReadLine() => throw new InvalidOperationException("HaTools read a line from the host");
        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("HaTools read a secret from the host");
    }
}
