using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Security;

namespace HaTools.Transport.SshNet;

/// <summary>
/// The private keys a node is logged in with: the identity file the cluster file names (else ~/.ssh/id_ed25519,
/// id_ecdsa, id_rsa, as the OpenSSH client tries them), in OpenSSH's format or PEM; ed25519, ECDSA or RSA. Each file is
/// read once per runner. An encrypted key's passphrase is asked for only when the file needs one, from
/// <see cref="SshRunnerOptions.IdentityPassphrase"/> (a SecureString; the fronts give it from a parameter or a prompt),
/// and never leaves memory: not in argv, not in any message. RSA keys sign with SHA-2 only (rsa-sha2-512, rsa-sha2-256).
/// </summary>
internal sealed class Identities : IDisposable
{
    private readonly Func<string, SecureString?>? _passphrase;
    private readonly object _gate = new object();
    private readonly Dictionary<string, IPrivateKeySource> _loaded = new Dictionary<string, IPrivateKeySource>(StringComparer.Ordinal);
    private readonly List<PrivateKeyFile> _files = new List<PrivateKeyFile>();

    public Identities(Func<string, SecureString?>? passphrase) { _passphrase = passphrase; }

    /// <summary>The keys to offer to the node, or a failure (AuthFailed) that says which file and why.</summary>
    public IPrivateKeySource[] For(NodeTarget node)
    {
        if (node.IdentityFile != null) return new[] { Load(node.IdentityFile) };
        var ssh = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        var found = new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(f => Path.Combine(ssh, f)).Where(File.Exists).ToList();
        if (found.Count == 0)
            throw new SshNetFailure(FailureKind.AuthFailed, $"no identity file: set ssh.identity in the cluster file (the sshnet transport uses no ssh agent; none of id_ed25519, id_ecdsa, id_rsa is in {ssh})");
        return found.Select(Load).ToArray();
    }

    private IPrivateKeySource Load(string path)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(path, out var done)) return done;
            if (!File.Exists(path))
                throw new SshNetFailure(FailureKind.AuthFailed, $"identity file '{Names.Printable(path)}' does not exist");
            PrivateKeyFile file;
            try
            {
                file = new PrivateKeyFile(path);
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                file = Decrypt(path);
            }
            catch (Exception e) when (e is SshException || e is IOException || e is UnauthorizedAccessException || e is FormatException || e is ArgumentException || e is NotSupportedException)
            {
                throw new SshNetFailure(FailureKind.AuthFailed, $"cannot read identity file '{Names.Printable(path)}' ({e.GetType().Name}): not a private key SSH.NET reads (OpenSSH, PEM or PuTTY format)");
            }
            _files.Add(file);
            var sha2 = new Sha2Only(file);
            if (sha2.HostKeyAlgorithms.Count == 0)
                throw new SshNetFailure(FailureKind.AuthFailed, $"identity file '{Names.Printable(path)}' is a key that signs only with SHA-1 ({string.Join(", ", file.HostKeyAlgorithms.Select(a => a.Name))}): use an ed25519, ECDSA or RSA key");
            return _loaded[path] = sha2;
        }
    }

    private PrivateKeyFile Decrypt(string path)
    {
        using var secret = _passphrase?.Invoke(path);
        if (secret == null || secret.Length == 0)
            throw new SshNetFailure(FailureKind.AuthFailed, $"identity file '{Names.Printable(path)}' is encrypted and no passphrase was given");
        // SSH.NET takes the passphrase as a string: it is made from the SecureString only for this call.
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            return new PrivateKeyFile(path, Marshal.PtrToStringUni(ptr));
        }
        catch (Exception e) when (e is SshException || e is FormatException || e is ArgumentException || e is System.Security.Cryptography.CryptographicException)
        {
            throw new SshNetFailure(FailureKind.AuthFailed, $"cannot decrypt identity file '{Names.Printable(path)}': wrong passphrase?");
        }
        finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var f in _files) f.Dispose();
            _files.Clear();
            _loaded.Clear();
        }
    }

    /// <summary>A key that offers only its SHA-2 signature algorithms (an RSA key also offers ssh-rsa, SHA-1).</summary>
    private sealed class Sha2Only : IPrivateKeySource
    {
        public Sha2Only(PrivateKeyFile file)
        {
            HostKeyAlgorithms = file.HostKeyAlgorithms.Where(a => !Algorithms.Sha1Signatures.Contains(a.Name)).ToList();
        }

        public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }
    }
}

/// <summary>A failure met before or while connecting, already typed at the boundary.</summary>
internal sealed class SshNetFailure : Exception
{
    public SshNetFailure(FailureKind kind, string message) : base(message) { Kind = kind; }
    public FailureKind Kind { get; }
}
