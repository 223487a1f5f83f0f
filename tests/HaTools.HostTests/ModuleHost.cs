using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HaTools.HelpGen;
using HaTools.Tests;
using Xunit;

namespace HaTools.HostTests;

/// <summary>The module staged once (the real staging step, as users get it) and cluster files for the tests:
/// nodes on this machine (<c>address: local</c>: the local runner, real processes), a loopback port nobody
/// listens on, an unreachable lab address, a broken file. Every test gets its own runspace.</summary>
public sealed class ModuleHost : IDisposable
{
    public ModuleHost()
    {
        Work = Path.Combine(Path.GetTempPath(), "hatools-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Work);
        Manifest = Path.Combine(new Stager(RepoPaths.Root, RepoPaths.Configuration).Stage(Path.Combine(Work, "module")), "HaTools.psd1");
        Local = Write("local.yaml", "name: host\nstack: pacemaker\nnodes:\n  - name: node1\n    address: local\n");
        // This machine and a loopback port nobody listens on (refused at once).
        Mixed = Write("mixed.yaml",
            "name: mixed\nstack: pacemaker\nssh:\n  user: root\n  port: 1\n  connect_timeout: 1\n" +
            "nodes:\n  - name: node1\n    address: local\n  - name: node2\n    address: 127.0.0.1\n");
        // Port 1 on loopback: refused at once, so the node is unreachable without any wait.
        Refused = Write("refused.yaml",
            "name: refused\nstack: pacemaker\nssh:\n  user: root\n  port: 1\n  connect_timeout: 1\nproperties:\n  stonith-enabled: false\n" +
            "nodes:\n  - name: node1\n    address: 127.0.0.1\n  - name: node2\n    address: 127.0.0.2\n");
        // In the lab's network, where no lab node has this address: no answer at all, so only the timeouts end it.
        Unreachable = Write("unreachable.yaml",
            "name: gone\nstack: pacemaker\nssh:\n  user: root\n  connect_timeout: 1\nnodes:\n  - name: ghost\n    address: 198.18.0.250\n");
        // A loopback port that accepts and then never says a word: a node that hangs, without any lab.
        _silent = new TcpListener(IPAddress.Loopback, 0);
        _silent.Start();
        _ = HoldConnectionsAsync(_silent);
        Silent = Write("silent.yaml",
            $"name: silent\nstack: pacemaker\nssh:\n  user: root\n  port: {((IPEndPoint)_silent.LocalEndpoint).Port}\n  connect_timeout: 1\n" +
            "nodes:\n  - name: mute\n    address: 127.0.0.1\n");
        Broken = Write("broken.yaml", "name: host\nstack: pacemaker\nnodes:\n  - address: 127.0.0.1\n    name: \"-bad name\"\n");
    }

    public string Work { get; }
    public string Manifest { get; }
    public string Local { get; }
    public string Mixed { get; }
    public string Refused { get; }
    public string Unreachable { get; }
    public string Broken { get; }
    public string Silent { get; }

    private readonly TcpListener _silent;
    private readonly List<TcpClient> _held = new();

    private async Task HoldConnectionsAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync();
                lock (_held) _held.Add(client);
            }
        }
        catch (SocketException) { } // stopped
        catch (ObjectDisposedException) { }
    }

    public string Write(string name, string yaml)
    {
        var file = Path.Combine(Work, name);
        File.WriteAllText(file, yaml);
        return file;
    }

    /// <summary>A runspace of its own (with <paramref name="host"/>, else the engine's default host) with the staged module imported.</summary>
    public Session Open(PSHost? host = null) => new Session(Manifest, host);

    public void Dispose()
    {
        _silent.Stop();
        lock (_held) foreach (var c in _held) c.Dispose();
        if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
    }
}

/// <summary>One runspace with the module imported; <see cref="Shell"/> runs commands in it (Commands cleared between runs).</summary>
public sealed class Session : IDisposable
{
    private readonly Runspace _runspace;

    public Session(string manifest, PSHost? host)
    {
        var iss = InitialSessionState.CreateDefault2();
        _runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
        _runspace.Open();
        Shell = PowerShell.Create(_runspace);
        Shell.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop").Invoke();
        Shell.Commands.Clear();
    }

    public PowerShell Shell { get; }

    /// <summary>The error stream as text, for assertion messages.</summary>
    public string Errors => string.Join("\n", Shell.Streams.Error.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));

    /// <summary>Run a script with variables as parameters (param block of the script); the streams stay on <see cref="Shell"/>.</summary>
    public IReadOnlyList<PSObject> Run(string script, params (string Name, object Value)[] parameters)
    {
        Prepare(script, parameters);
        return Shell.Invoke();
    }

    public void Prepare(string script, params (string Name, object Value)[] parameters)
    {
        Shell.Commands.Clear();
        Shell.Streams.ClearStreams();
        Shell.AddScript(script);
        foreach (var (name, value) in parameters) Shell.AddParameter(name, value);
    }

    public void Dispose()
    {
        Shell.Dispose();
        _runspace.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ModuleCollection : ICollectionFixture<ModuleHost>
{
    public const string Name = "staged module";
}
