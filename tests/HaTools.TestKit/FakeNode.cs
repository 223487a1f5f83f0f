using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Xunit;

namespace HaTools.TestKit;

/// <summary>A file as a fake node holds it.</summary>
public sealed record FakeFile(byte[] Content, string Mode, string Owner)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>
/// A node that remembers: an in-memory filesystem, the daemons that run and the cluster lock, changed by the node-side
/// protocols HaTools speaks (the push script's stage/commit/restore, the service script, the lock script) exactly as
/// the scripts change a real node. Tests then assert the state every node ends in (old files or new, never a mix)
/// instead of a call sequence. <c>FakeNodeContractTests</c> runs the same steps against the real scripts on this
/// machine and compares, so this double cannot drift from them.
/// Anything else is answered by <see cref="Handler"/>; with none, an unexpected command fails the test (strict).
/// </summary>
public sealed class FakeNode
{
    public FakeNode(string name) { Name = name; }

    public string Name { get; }
    public Dictionary<string, FakeFile> Files { get; } = new Dictionary<string, FakeFile>(StringComparer.Ordinal);
    /// <summary>Daemons running (what pidof would find).</summary>
    public HashSet<string> Running { get; } = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>Unit → the daemon its start brings up (absent: a unit that does not exist on this node).</summary>
    public Dictionary<string, string> Units { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>The node's clock in epoch seconds (the lock's lease is judged on it); tests move it.</summary>
    public long Now { get; set; } = 1_790_000_000;
    /// <summary>The node does not answer: every call fails as unreachable, and nothing changes.</summary>
    public bool Down { get; set; }
    /// <summary>Answers commands no protocol covers; null result or no handler: the call fails the test.</summary>
    public Func<CommandRequest, CommandResult?>? Handler { get; set; }
    /// <summary>Every command received, as "protocol action path" for the protocols and the argv otherwise.</summary>
    public List<string> Log { get; } = new List<string>();

    private readonly List<(Func<string, bool> When, Func<CommandResult> Answer, bool ChangeFirst)> _faults = new();

    /// <summary>The next call whose log line matches fails as <paramref name="answer"/> says; with
    /// <paramref name="afterTheChange"/> the change happens first and only the answer is lost (a dropped connection).</summary>
    public FakeNode FailNext(Func<string, bool> when, Func<CommandResult>? answer = null, bool afterTheChange = false)
    {
        _faults.Add((when, answer ?? (() => Lost(Name)), afterTheChange));
        return this;
    }

    public string? Read(string path) => Files.TryGetValue(path, out var f) ? f.Text : null;

    public void Write(string path, string text, string mode = "0644", string owner = "root:root") =>
        Files[path] = new FakeFile(Encoding.UTF8.GetBytes(text), Norm(mode), owner);

    public static CommandResult Lost(string node) => new CommandResult { Node = node, ExitCode = 255, Failure = FailureKind.ConnectionLost, Error = "connection lost (test)" };

    internal CommandResult Run(CommandRequest r)
    {
        var a = r.Argv;
        string line;
        Func<CommandResult> act;
        if (a.Count >= 9 && a[0] == "sh" && a[1] == "-c" && a[2] == FilePusher.Script)
        {
            line = $"push {a[4]} {a[5]}";
            act = () => Push(a[4], a[5], a[6], a[7], a[8], r.Stdin ?? Array.Empty<byte>());
        }
        else if (a.Count >= 7 && a[0] == "sh" && a[1] == "-c" && a[2] == Core.Services.ServiceControl.Script)
        {
            line = $"service {a[5]} {a[4]}";
            act = () => Service(a[4], a[5], a[6]);
        }
        else if (a.Count >= 8 && a[0] == "sh" && a[1] == "-c" && a[2] == Core.Locking.LockScript.Script)
        {
            line = $"lock {a[4]} {a[5]}";
            act = () => Lock(a);
        }
        else
        {
            line = ShellQuote.Join(a);
            act = () => Handler?.Invoke(r) ?? Fail($"unexpected call on {Name}: {r.Display}");
        }
        Log.Add(line);
        if (Down) return new CommandResult { Node = Name, ExitCode = 255, Failure = FailureKind.Unreachable, Error = "unreachable (test)" };
        var i = _faults.FindIndex(f => f.When(line));
        if (i < 0) return act();
        var fault = _faults[i];
        _faults.RemoveAt(i);
        if (fault.ChangeFirst) act();
        return fault.Answer();
    }

    private CommandResult Fail(string why)
    {
        Assert.Fail(why);
        return null!;
    }

    private CommandResult Ok(string stdout) => new CommandResult { Node = Name, StdOut = stdout };
    private CommandResult Exit(int code, string stderr) => new CommandResult { Node = Name, ExitCode = code, StdErr = stderr };

    // --- the push protocol (FilePusher.Script) ---

    private static string Norm(string mode) => mode.TrimStart('0').Length == 0 ? "0" : mode.TrimStart('0');

    private static string Hash(byte[] b)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(b).Select(x => x.ToString("x2")));
    }

    private static string StagePath(string dest)
    {
        var slash = dest.LastIndexOf('/');
        return dest.Substring(0, slash) + "/." + dest.Substring(slash + 1) + FilePusher.StageSuffix;
    }

    private bool Same(string dest, string mode, string owner, string want)
    {
        if (!Files.TryGetValue(dest, out var f) || Hash(f.Content) != want || f.Mode != Norm(mode)) return false;
        if (owner.Length == 0) return true;
        return owner.Contains(':') ? f.Owner == owner : f.Owner.Split(':')[0] == owner;
    }

    private CommandResult Push(string action, string dest, string mode, string owner, string want, byte[] content)
    {
        var stage = StagePath(dest);
        var bak = dest + FilePusher.BackupSuffix;
        var none = bak + ".none";
        CommandResult? Put(string path)
        {
            if (Hash(content) != want) return Exit(3, "content arrived damaged (hash mismatch)\n");
            Files[path] = new FakeFile(content, Norm(mode), owner.Length == 0 ? "root:root" : owner.Contains(':') ? owner : owner + ":root");
            return null;
        }
        CommandResult Commit()
        {
            if (!Files.TryGetValue(stage, out var staged)) return Exit(4, "nothing staged\n");
            var b = "";
            if (Files.TryGetValue(dest, out var old)) { Files[bak] = old; b = bak; }
            else { Files.Remove(bak); Files[none] = new FakeFile(Array.Empty<byte>(), "600", "root:root"); }
            Files[dest] = staged;
            Files.Remove(stage);
            return Ok($"COMMITTED {b}\n");
        }
        switch (action)
        {
            case "push":
                if (Same(dest, mode, owner, want)) return Ok("UNCHANGED\n");
                var e = Put(stage);
                if (e != null) return e;
                Files.Remove(none);
                return Commit();
            case "check":
                return Ok(Same(dest, mode, owner, want) ? "UNCHANGED\n" : "WOULDCHANGE\n");
            case "stage":
                if (Same(dest, mode, owner, want)) { Files.Remove(stage); return Ok("UNCHANGED\n"); }
                return Put(stage) ?? Ok("STAGED\n");
            case "commit":
                Files.Remove(none);
                return Commit();
            case "restore":
            case "undo":
                if (action == "undo") Files.Remove(stage);
                if (!Files.TryGetValue(dest, out var cur) || Hash(cur.Content) != want) return Ok("NOTHING\n");
                if (Files.ContainsKey(none)) { Files.Remove(dest); Files.Remove(none); return Ok("REMOVED\n"); }
                if (Files.TryGetValue(bak, out var back)) { Files[dest] = back; Files.Remove(bak); return Ok("RESTORED\n"); }
                return Ok("NOTHING\n");
            case "discard":
                Files.Remove(stage);
                return Ok("DISCARDED\n");
            default:
                return Exit(2, $"unknown action {action}\n");
        }
    }

    // --- the service protocol (ServiceControl.Script) ---

    private CommandResult Service(string unit, string action, string daemon)
    {
        var running = Running.Contains(daemon);
        switch (action)
        {
            case "is-running": return Ok(running ? "RUNNING\n" : "STOPPED\n");
            case "start" when running: return Ok("ALREADY\n");
            case "stop" when !running: return Ok("ALREADY\n");
        }
        if (!Units.TryGetValue(unit, out var brings)) return Exit(3, $"no init system found to {action} {unit}\n");
        if (action == "start")
        {
            if (brings != daemon) return Exit(4, $"{daemon} did not start (see its log)\n");
            Running.Add(daemon);
        }
        else if (action == "stop") Running.Remove(daemon);
        return Ok("DONE\n");
    }

    // --- the lock protocol (LockScript.Script) ---

    private CommandResult Lock(IReadOnlyList<string> a)
    {
        string action = a[4], root = a[5], token = a[6];
        var lease = long.Parse(a[7], System.Globalization.CultureInfo.InvariantCulture);
        var holderPath = root + "/held/holder";
        var renewedPath = root + "/held/renewed";
        var held = Files.TryGetValue(holderPath, out var holder);
        var heldToken = held ? holder!.Text.Split('\n')[0].Replace("token=", "") : "";
        var renewed = Files.TryGetValue(renewedPath, out var rf) && long.TryParse(rf.Text.Trim(), out var rn) ? rn : 0;
        var now = action is "acquire" or "renew" ? Now : 0;
        var age = now - renewed;
        string Show() => (held ? holder!.Text : "") + (now == 0 ? "" : $"age={age}\n");
        void Take()
        {
            Write(holderPath, $"token={token}\nhost={a[8]}\npid={a[9]}\nop={a[10]}\nstarted={a[11]}\n", "0600");
            Write(renewedPath, Now + "\n", "0600");
        }
        void Drop() { Files.Remove(holderPath); Files.Remove(renewedPath); }
        switch (action)
        {
            case "acquire":
                if (!held) { Take(); return Ok("ACQUIRED\n"); }
                if (heldToken == token) { Write(renewedPath, Now + "\n", "0600"); return Ok("ACQUIRED\n"); }
                if (age > lease || (a.Count > 12 && a[12].Length > 0 && heldToken == a[12]))
                {
                    var shown = Show();
                    Drop();
                    Take();
                    return Ok(shown + "STALE\n");
                }
                return Ok(Show() + "BUSY\n");
            case "renew":
                if (held && heldToken == token) { Write(renewedPath, Now + "\n", "0600"); return Ok("RENEWED\n"); }
                return Ok(Show() + "LOST\n");
            case "release":
                if (!held) return Ok("NOT-HELD\n");
                if (heldToken == token) { Drop(); return Ok("RELEASED\n"); }
                return Ok(Show() + "NOT-OURS\n");
            default:
                return new CommandResult { Node = Name, ExitCode = 2, StdOut = "FAILED\n", StdErr = $"unknown action {action}\n" };
        }
    }
}

/// <summary>A cluster of <see cref="FakeNode"/>s behind one runner: calls go to the node named by the target, one at a
/// time per node (a real node's scripts serialise on their own files).</summary>
public sealed class FakeCluster : ICommandRunner
{
    private readonly object _lock = new object();

    public FakeCluster(params string[] names)
    {
        foreach (var n in names) Nodes[n] = new FakeNode(n);
    }

    public Dictionary<string, FakeNode> Nodes { get; } = new Dictionary<string, FakeNode>(StringComparer.Ordinal);

    public FakeNode this[string name] => Nodes[name];

    /// <summary>Every call, in arrival order, as "node: log line".</summary>
    public List<string> Log { get; } = new List<string>();

    public Task<CommandResult> RunAsync(NodeTarget node, CommandRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!Nodes.TryGetValue(node.Name, out var n)) Assert.Fail($"call to a node the fake cluster does not have: {node.Name}");
            var r = n!.Run(request);
            Log.Add($"{node.Name}: {n.Log[n.Log.Count - 1]}");
            r.Node = node.Name;
            return Task.FromResult(r);
        }
    }
}
