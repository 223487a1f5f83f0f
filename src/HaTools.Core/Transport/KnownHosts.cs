using System;
using System.IO;
using HaTools.Core.Spec;

namespace HaTools.Core.Transport;

/// <summary>The known_hosts file a node is checked against: whether it can be used at all, before any client runs.</summary>
public static class KnownHosts
{
    /// <summary>A known_hosts file that does not exist: under Strict every connection would fail with OpenSSH's terse
    /// "Host key verification failed", so say which file is missing instead; under AcceptNew its folder is created so the
    /// first key can be pinned (otherwise every run would accept any key and pin none).</summary>
    public static string? Problem(NodeTarget node)
    {
        var kh = node.KnownHostsFile;
        if (kh == null || File.Exists(kh)) return null;
        if (Directory.Exists(kh))
            return $"host key verification impossible: known_hosts '{Names.Printable(kh)}' is a folder, not a file";
        if (node.HostKeyPolicy != HostKeyPolicy.AcceptNew)
            return $"host key verification impossible: known_hosts file '{Names.Printable(kh)}' does not exist (create it, e.g. with ssh-keyscan, and check the keys; or set host_key_policy: accept-new to pin them on first contact)";
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(kh));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir!);
            return null;
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            return $"cannot create the folder of known_hosts '{Names.Printable(kh)}' to pin host keys: {e.Message}";
        }
    }
}
