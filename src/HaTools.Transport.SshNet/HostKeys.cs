using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using HaTools.Core.Spec;
using HaTools.Core.Transport;

namespace HaTools.Transport.SshNet;

/// <summary>
/// The host-key policy of the OpenSSH runner, for SSH.NET: the same known_hosts file (the node's, else
/// ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts as the OpenSSH client reads them), strict or accept-new, and a
/// changed or revoked key refused under both. A new key is pinned in OpenSSH's format (hashed, as Debian's
/// HashKnownHosts writes it) by one append, so that ssh processes writing the same file at the same time never lose
/// or split a line; within one runner, pins are made one at a time and the file is read again first, so parallel first
/// connections to one node pin its key once.
/// </summary>
internal sealed class HostKeys
{
    private readonly object _pinLock = new object();

    /// <summary>Where keys are looked up for the node, and the file new ones are pinned in (the first).</summary>
    public static IReadOnlyList<string> FilesFor(NodeTarget node)
    {
        if (node.KnownHostsFile != null) return new[] { node.KnownHostsFile };
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var global = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "ssh", "ssh_known_hosts")
            : "/etc/ssh/ssh_known_hosts";
        return new[] { Path.Combine(home, ".ssh", "known_hosts"), global };
    }

    /// <summary>The decision for one handshake: trust or not, and why not (no key material in the text).</summary>
    public Decision Decide(NodeTarget node, byte[] keyBlob, string fingerprintSha256)
    {
        var files = FilesFor(node);
        var host = KnownHostsFile.HostName(node.Address, node.Port);
        var known = Judge(KnownHostsFile.Read(files).Check(host, keyBlob), host, files[0], keyBlob, fingerprintSha256);
        if (known.HasValue) return known.Value;
        if (node.HostKeyPolicy != HostKeyPolicy.AcceptNew)
            return Decision.Refuse($"host key verification failed: no key is known for {host} in {files[0]} (unknown host key SHA256:{fingerprintSha256}; host_key_policy: strict)");
        lock (_pinLock)
        {
            // Another connection of this runner may have pinned it meanwhile: read again before writing.
            var again = Judge(KnownHostsFile.Read(files).Check(host, keyBlob), host, files[0], keyBlob, fingerprintSha256);
            if (again.HasValue) return again.Value;
            try
            {
                Append(files[0], KnownHostsFile.HashedLine(host, keyBlob));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // As the OpenSSH client under accept-new: the key is accepted for this connection; it stays unpinned.
            }
        }
        return Decision.Trust;
    }

    /// <summary>The decision a verdict makes by itself; null for an unknown key (the policy decides).</summary>
    private static Decision? Judge(HostKeyVerdict verdict, string host, string file, byte[] keyBlob, string fingerprintSha256) => verdict switch
    {
        HostKeyVerdict.Known => Decision.Trust,
        HostKeyVerdict.Changed => Decision.Refuse($"host key verification failed: {host} presented {KnownHostsFile.KeyTypeOf(keyBlob)} key SHA256:{fingerprintSha256}, which is not the key known for it in {file} (a changed host key is refused under every policy)"),
        HostKeyVerdict.Revoked => Decision.Refuse($"host key verification failed: {host} presented a revoked key (SHA256:{fingerprintSha256})"),
        _ => null,
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr write(int fd, byte[] buf, IntPtr count);

    [DllImport("libc")]
    private static extern int close(int fd);

    /// <summary>One line at the end of the file, in one write to a descriptor opened with O_APPEND: the kernel puts each
    /// such write at the end as a whole, whoever else appends (ssh does). .NET's FileMode.Append seeks and writes, which
    /// can overwrite another writer's line, so Linux and macOS go through libc; elsewhere FileMode.Append.</summary>
    internal static void Append(string path, string line)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir!);
        if (NeedsNewlineFirst(path)) line = "\n" + line;
        var bytes = Encoding.UTF8.GetBytes(line);
        int flags;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) flags = 0x1 | 0x40 | 0x400 | 0x80000; // O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) flags = 0x1 | 0x200 | 0x8 | 0x1000000;
        else
        {
            using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            fs.Write(bytes, 0, bytes.Length);
            return;
        }
        var fd = open(path, flags, Convert.ToInt32("600", 8));
        if (fd < 0) throw new IOException($"cannot open {path} to pin a host key (errno {Marshal.GetLastWin32Error()})");
        try
        {
            var n = write(fd, bytes, (IntPtr)bytes.Length).ToInt64();
            if (n != bytes.Length) throw new IOException($"short write to {path} (errno {Marshal.GetLastWin32Error()})");
        }
        finally { close(fd); }
    }

    private static bool NeedsNewlineFirst(string path)
    {
        if (!File.Exists(path)) return false;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (fs.Length == 0) return false;
        fs.Seek(-1, SeekOrigin.End);
        return fs.ReadByte() != '\n';
    }

    internal readonly struct Decision
    {
        private Decision(bool trusted, string? why) { Trusted = trusted; Why = why; }
        public bool Trusted { get; }
        public string? Why { get; }
        public static Decision Trust => new Decision(true, null);
        public static Decision Refuse(string why) => new Decision(false, why);
    }
}
