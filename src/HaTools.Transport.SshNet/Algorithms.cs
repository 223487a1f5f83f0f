using System;
using System.Collections.Generic;
using System.Linq;
using Renci.SshNet;

namespace HaTools.Transport.SshNet;

/// <summary>
/// What the handshake may negotiate. SSH.NET 2026.0.0 offers, by default, key exchanges with SHA-1
/// (diffie-hellman-group1-sha1, group14-sha1, group-exchange-sha1), ssh-rsa host keys and signatures (SHA-1), CBC
/// ciphers and 3des-cbc, and hmac-sha1[-etm]; every list here is an allow-list in order of preference, and whatever
/// SSH.NET offers beyond it is removed, so a library update that adds a weak algorithm adds nothing here.
/// curve25519 comes first: the post-quantum hybrid SSH.NET would pick by default (sntrup761x25519) costs about 77 ms
/// of client CPU per handshake against about 10 ms (lab notes), which a cold fan-out to 16 nodes on 2 cores feels.
/// Host certificates are not offered: keys are checked against known_hosts lines, not against a CA.
/// </summary>
public static class Algorithms
{
    public static readonly IReadOnlyList<string> KeyExchange = new[]
    {
        "curve25519-sha256", "curve25519-sha256@libssh.org",
        "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
        "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
        "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group14-sha256",
    };

    /// <summary>AEAD first (no separate MAC; aes-gcm was the fastest in the probe), then CTR with an SHA-2 MAC.</summary>
    public static readonly IReadOnlyList<string> Ciphers = new[]
    {
        "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
        "aes128-ctr", "aes192-ctr", "aes256-ctr",
    };

    public static readonly IReadOnlyList<string> Macs = new[]
    {
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512",
    };

    /// <summary>RSA host keys only with SHA-2 signatures (rsa-sha2-*), never ssh-rsa.</summary>
    public static readonly IReadOnlyList<string> HostKeys = new[]
    {
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256",
    };

    public static readonly IReadOnlyList<string> Compression = new[] { "none" };

    /// <summary>Signature algorithms an identity must never sign with (SHA-1).</summary>
    internal static readonly IReadOnlyList<string> Sha1Signatures = new[] { "ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "ssh-dss", "ssh-dss-cert-v01@openssh.com" };

    /// <summary>The host key algorithms for a host whose known_hosts key types are <paramref name="knownKeyTypes"/>:
    /// those types first, in the same order as <see cref="HostKeys"/> otherwise.</summary>
    public static IReadOnlyList<string> HostKeysFor(IEnumerable<string> knownKeyTypes)
    {
        var first = new List<string>();
        foreach (var t in knownKeyTypes)
            foreach (var a in t == "ssh-rsa" ? new[] { "rsa-sha2-512", "rsa-sha2-256" } : new[] { t })
                if (HostKeys.Contains(a) && !first.Contains(a)) first.Add(a);
        return first.Concat(HostKeys.Where(a => !first.Contains(a))).ToList();
    }

    /// <summary>Leaves in each of the connection's lists only the allowed algorithms, in the allowed order.</summary>
    public static void Restrict(ConnectionInfo info, IReadOnlyList<string>? hostKeys = null)
    {
        Keep(info.KeyExchangeAlgorithms, KeyExchange);
        Keep(info.Encryptions, Ciphers);
        Keep(info.HmacAlgorithms, Macs);
        Keep(info.HostKeyAlgorithms, hostKeys ?? HostKeys);
        Keep(info.CompressionAlgorithms, Compression);
    }

    private static void Keep<T>(IOrderedDictionary<string, T> offered, IReadOnlyList<string> allowed)
    {
        var kept = allowed.Where(offered.ContainsKey).Select(name => new KeyValuePair<string, T>(name, offered[name])).ToList();
        while (offered.Count > 0) offered.RemoveAt(offered.Count - 1);
        foreach (var kv in kept) offered.Insert(offered.Count, kv.Key, kv.Value);
    }
}
