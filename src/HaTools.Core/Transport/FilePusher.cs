using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>What to push: content, where, with which mode/owner.</summary>
public sealed class FileSpec
{
    public FileSpec(string destination, byte[] content, string mode = "0644")
    {
        Destination = destination;
        Content = content;
        Mode = mode;
    }

    /// <summary>Absolute path on the node.</summary>
    public string Destination { get; }
    public byte[] Content { get; }
    /// <summary>Octal, e.g. 0644, 0400.</summary>
    public string Mode { get; }
    /// <summary>user:group, or null to leave as the remote user's.</summary>
    public string? Owner { get; init; }
    /// <summary>The content is a secret: never logged, never compared in messages.</summary>
    public bool Secret { get; init; }
}

/// <summary>Atomic file push: temp file in the target folder, fsync, mode/owner, rename; backup of the replaced file;
/// nothing written when the content hash is unchanged.</summary>
public sealed class FilePusher
{
    public FilePusher(ICommandRunner runner) { Runner = runner; }

    public ICommandRunner Runner { get; }

    /// <summary>Push to one node. whatIf: compare only and report WouldChange/Unchanged.</summary>
    public Task<FilePushResult> PushAsync(NodeTarget node, FileSpec file, bool whatIf = false, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Push to many nodes in parallel.</summary>
    public Task<IReadOnlyList<FilePushResult>> PushAsync(IReadOnlyList<NodeTarget> nodes, FileSpec file, Fanout.FanoutOptions? options = null,
        IProgress<Fanout.FanoutProgress>? progress = null, bool whatIf = false, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
