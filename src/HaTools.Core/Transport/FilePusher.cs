using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>What to push: content, where, with which mode/owner.</summary>
public sealed class FileSpec
{
    private static readonly Regex ModePattern = new Regex("^0?[0-7]{3}$");
    private static readonly Regex OwnerPattern = new Regex("^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$");

    public FileSpec(string destination, byte[] content, string mode = "0644")
    {
        if (!destination.StartsWith("/", StringComparison.Ordinal) || destination.EndsWith("/", StringComparison.Ordinal) ||
            destination.Any(char.IsControl) || destination.Split('/').Any(p => p == ".." || p == "."))
            throw new HaException($"destination must be an absolute file path without '.' or '..' parts: '{Names.Printable(destination)}'") { Target = destination };
        if (!ModePattern.IsMatch(mode))
            throw new HaException($"mode must be octal like 0644: '{Names.Printable(mode)}'") { Target = destination };
        Destination = destination;
        Content = content;
        Mode = mode.Length == 3 ? "0" + mode : mode;
    }

    /// <summary>Absolute path on the node.</summary>
    public string Destination { get; }
    public byte[] Content { get; }
    /// <summary>Octal, e.g. 0644, 0400.</summary>
    public string Mode { get; }

    private readonly string? _owner;
    /// <summary>user:group, or null to leave as the remote user's.</summary>
    public string? Owner
    {
        get => _owner;
        init
        {
            if (value != null && !OwnerPattern.IsMatch(value))
                throw new HaException($"owner must be user or user:group: '{Names.Printable(value)}'") { Target = Destination };
            _owner = value;
        }
    }

    /// <summary>The content is a secret: never logged, never shown in messages.</summary>
    public bool Secret { get; init; }

    public string Sha256 => Hash(Content);

    internal static string Hash(byte[] data)
    {
        using var sha = SHA256.Create();
        return BitConverter.ToString(sha.ComputeHash(data)).Replace("-", "").ToLowerInvariant();
    }
}

/// <summary>
/// Atomic file push: the content travels on stdin into a temp file in the target folder, is checked against its
/// hash, fsynced, given its mode/owner, and renamed over the target; the replaced file is kept as TARGET.hatools-bak.
/// Nothing is written when content, mode and owner already match. Two-phase use for multi-node changes:
/// <see cref="StageAsync"/> everywhere, then <see cref="CommitAsync"/> everywhere, <see cref="RestoreAsync"/> on failure.
/// </summary>
public sealed class FilePusher
{
    public const string BackupSuffix = ".hatools-bak";
    public const string StageSuffix = ".hatools-stage";

    // One script, run with `sh -c SCRIPT sh ACTION DEST MODE OWNER SHA256`. Content (if any) on stdin.
    // It prints exactly one status word on its last line: UNCHANGED, WOULDCHANGE, STAGED, COMMITTED [backup],
    // RESTORED, REMOVED, DISCARDED, NOTHING.
    internal const string Script = @"set -eu
action=$1; dest=$2; mode=$3; owner=$4; want=$5
dir=${dest%/*}; [ -n ""$dir"" ] || dir=/
base=${dest##*/}
stage=""$dir/.$base.hatools-stage""
bak=""$dest.hatools-bak""
hash() { if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else sha256 -q; fi; }
meta() { stat -c '%a %U:%G' -- ""$1"" 2>/dev/null || stat -f '%Lp %Su:%Sg' -- ""$1""; }
same() {
  [ -f ""$dest"" ] && [ ! -L ""$dest"" ] || return 1
  [ ""$(hash < ""$dest"")"" = ""$want"" ] || return 1
  m=$(meta ""$dest""); [ ""${m%% *}"" = ""${mode#0}"" ] || return 1
  if [ -n ""$owner"" ]; then o=${m#* }; case ""$owner"" in *:*) [ ""$o"" = ""$owner"" ] || return 1;; *) [ ""${o%%:*}"" = ""$owner"" ] || return 1;; esac; fi
  return 0
}
put() {
  mkdir -p -- ""$dir""
  tmp=$(mktemp ""$dir/.$base.XXXXXX"")
  trap 'rm -f -- ""$tmp""' EXIT
  (umask 077; cat > ""$tmp"")
  [ ""$(hash < ""$tmp"")"" = ""$want"" ] || { echo 'content arrived damaged (hash mismatch)' >&2; exit 3; }
  chmod ""$mode"" ""$tmp""
  [ -z ""$owner"" ] || chown ""$owner"" ""$tmp""
  sync ""$tmp"" 2>/dev/null || sync
  mv -f -- ""$tmp"" ""$1""
  trap - EXIT
}
commit() {
  [ -f ""$stage"" ] || { echo 'nothing staged' >&2; exit 4; }
  b=''
  if [ -e ""$dest"" ]; then cp -p -- ""$dest"" ""$bak""; b=$bak; else rm -f -- ""$bak""; : > ""$bak.none""; fi
  mv -f -- ""$stage"" ""$dest""
  sync ""$dir"" 2>/dev/null || sync
  echo ""COMMITTED $b""
}
case $action in
  push)
    if same; then cat > /dev/null; echo UNCHANGED; exit 0; fi
    put ""$stage""; rm -f -- ""$bak.none""; commit ;;
  check)
    cat > /dev/null; if same; then echo UNCHANGED; else echo WOULDCHANGE; fi ;;
  stage)
    if same; then cat > /dev/null; rm -f -- ""$stage""; echo UNCHANGED; exit 0; fi
    put ""$stage""; echo STAGED ;;
  commit)
    rm -f -- ""$bak.none""; commit ;;
  restore|undo)
    [ ""$action"" = restore ] || rm -f -- ""$stage""
    # Only our own commit is undone: when the target does not hold the content we committed (the commit never
    # happened there), an older backup must not be put back.
    if ! { [ -f ""$dest"" ] && [ ""$(hash < ""$dest"")"" = ""$want"" ]; }; then echo NOTHING
    elif [ -f ""$bak.none"" ]; then rm -f -- ""$dest"" ""$bak.none""; echo REMOVED
    elif [ -f ""$bak"" ]; then mv -f -- ""$bak"" ""$dest""; sync ""$dir"" 2>/dev/null || sync; echo RESTORED
    else echo NOTHING; fi ;;
  discard)
    rm -f -- ""$stage""; echo DISCARDED ;;
  *) echo ""unknown action $action"" >&2; exit 2 ;;
esac
";

    public FilePusher(ICommandRunner runner) { Runner = runner; }

    public ICommandRunner Runner { get; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Push to one node. whatIf: compare only and report WouldChange/Unchanged.</summary>
    public Task<FilePushResult> PushAsync(NodeTarget node, FileSpec file, bool whatIf = false, CancellationToken cancellationToken = default)
        => RunAsync(node, file, whatIf ? "check" : "push", file.Content, cancellationToken);

    /// <summary>Push to many nodes in parallel.</summary>
    public Task<IReadOnlyList<FilePushResult>> PushAsync(IReadOnlyList<NodeTarget> nodes, FileSpec file, Fanout.FanoutOptions? options = null,
        IProgress<Fanout.FanoutProgress>? progress = null, bool whatIf = false, CancellationToken cancellationToken = default)
        => Fanout.Fanout.RunAsync(nodes, (n, ct) => PushAsync(n, file, whatIf, ct), (n, e) => Failed(n, file, e.Message), options, progress, cancellationToken);

    /// <summary>Write the new content next to the target without touching it. Unchanged when it already matches.</summary>
    public Task<FilePushResult> StageAsync(NodeTarget node, FileSpec file, CancellationToken cancellationToken = default)
        => RunAsync(node, file, "stage", file.Content, cancellationToken);

    /// <summary>Rename the staged file over the target (after saving a backup).</summary>
    public Task<FilePushResult> CommitAsync(NodeTarget node, FileSpec file, CancellationToken cancellationToken = default)
        => RunAsync(node, file, "commit", null, cancellationToken);

    /// <summary>Put the backup back (or remove the file when there was none before the commit), when the target still
    /// holds this content; otherwise nothing is done (reported Unchanged).</summary>
    public Task<FilePushResult> RestoreAsync(NodeTarget node, FileSpec file, CancellationToken cancellationToken = default)
        => RunAsync(node, file, "restore", null, cancellationToken);

    /// <summary>After a commit whose outcome is unknown (failed, timed out, connection lost): put the backup back if this
    /// content was committed, and remove the staged file. Safe to run whether or not the commit happened.</summary>
    public Task<FilePushResult> UndoAsync(NodeTarget node, FileSpec file, CancellationToken cancellationToken = default)
        => RunAsync(node, file, "undo", null, cancellationToken);

    /// <summary>Remove a staged file that will not be committed.</summary>
    public Task<FilePushResult> DiscardAsync(NodeTarget node, FileSpec file, CancellationToken cancellationToken = default)
        => RunAsync(node, file, "discard", null, cancellationToken);

    private async Task<FilePushResult> RunAsync(NodeTarget node, FileSpec file, string action, byte[]? stdin, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var argv = new[] { "sh", "-c", Script, "sh", action, file.Destination, file.Mode, file.Owner ?? "", file.Sha256 };
        var r = await Runner.RunAsync(node, new CommandRequest(argv, Timeout, stdin ?? Array.Empty<byte>()), ct).ConfigureAwait(false);
        var result = new FilePushResult { Node = node.Name, Destination = file.Destination, Sha256 = file.Sha256, Duration = sw.Elapsed };
        var last = r.StdOut.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
        if (!r.Succeeded)
        {
            result.Status = FileChange.Failed;
            result.Error = r.Error ?? $"{action} failed (exit {r.ExitCode}): {r.StdErr.Trim()}";
            result.Failure = r.Failure;
            return result;
        }
        var word = last.Split(' ')[0];
        switch (word)
        {
            case "UNCHANGED": case "NOTHING": case "DISCARDED":
                result.Status = FileChange.Unchanged; break;
            case "WOULDCHANGE":
                result.Status = FileChange.WouldChange; break;
            case "STAGED": case "RESTORED": case "REMOVED":
                result.Status = FileChange.Changed; break;
            case "COMMITTED":
                result.Status = FileChange.Changed;
                var b = last.Substring(word.Length).Trim();
                result.Backup = b.Length > 0 ? b : null;
                break;
            default:
                result.Status = FileChange.Failed;
                result.Error = $"{action}: unexpected answer from the node: '{Names.Printable(last)}'";
                break;
        }
        return result;
    }

    private static FilePushResult Failed(NodeTarget n, FileSpec f, string why) =>
        new FilePushResult { Node = n.Name, Destination = f.Destination, Sha256 = f.Sha256, Status = FileChange.Failed, Error = why };
}
