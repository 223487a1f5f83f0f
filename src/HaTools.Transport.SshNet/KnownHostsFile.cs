using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace HaTools.Transport.SshNet;

/// <summary>What a known_hosts file says about the key a node presented.</summary>
public enum HostKeyVerdict
{
    /// <summary>No key is known for the host: refused under strict, pinned under accept-new.</summary>
    Unknown,
    /// <summary>The host has this key.</summary>
    Known,
    /// <summary>Keys are known for the host and this is none of them: always refused.</summary>
    Changed,
    /// <summary>The key is on an @revoked line: always refused.</summary>
    Revoked,
}

/// <summary>
/// OpenSSH's known_hosts format (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"), read so that the SSH.NET runner trusts exactly
/// the keys the OpenSSH client would: one line per key, <c>[marker] hostpatterns keytype base64-key [comment]</c>;
/// patterns are comma-separated, with <c>*</c> and <c>?</c>, a leading <c>!</c> negating (a negated match rules the line
/// out); a host on another port than 22 is written <c>[host]:port</c>; a hashed entry is <c>|1|base64(salt)|base64(HMAC-SHA1
/// of the host name keyed by the salt)</c> (what HashKnownHosts writes). A host may have several lines and several keys.
/// @cert-authority lines are not used (this runner accepts no host certificates); @revoked keys are refused.
/// </summary>
public sealed class KnownHostsFile
{
    private readonly List<Entry> _entries;

    private KnownHostsFile(List<Entry> entries) { _entries = entries; }

    /// <summary>The lines that could be read (malformed ones are skipped, as OpenSSH skips them).</summary>
    public int Count => _entries.Count;

    /// <summary>The name a host is looked up and pinned under: the address for port 22, <c>[address]:port</c> otherwise.</summary>
    public static string HostName(string address, int port) =>
        port == 22 ? address : "[" + address + "]:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static KnownHostsFile Parse(string text)
    {
        var entries = new List<Entry>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            if (Entry.TryParse(raw.TrimEnd('\r'), lineNo, out var e)) entries.Add(e!);
        }
        return new KnownHostsFile(entries);
    }

    /// <summary>Every line of the files that exist, in order (a missing file is empty).</summary>
    public static KnownHostsFile Read(IEnumerable<string> paths)
    {
        var all = new List<Entry>();
        foreach (var p in paths)
            if (File.Exists(p)) all.AddRange(Parse(File.ReadAllText(p))._entries);
        return new KnownHostsFile(all);
    }

    /// <summary>The verdict on <paramref name="keyBlob"/> (the key as sent in the handshake: the decoded base64 field of a
    /// known_hosts line) for <paramref name="host"/> (<see cref="HostName"/>).</summary>
    public HostKeyVerdict Check(string host, byte[] keyBlob)
    {
        var matching = _entries.Where(e => e.Matches(host)).ToList();
        if (matching.Any(e => e.Marker == Marker.Revoked && e.Key.SequenceEqual(keyBlob))) return HostKeyVerdict.Revoked;
        var keys = matching.Where(e => e.Marker == Marker.None).ToList();
        if (keys.Count == 0) return HostKeyVerdict.Unknown;
        return keys.Any(e => e.Key.SequenceEqual(keyBlob)) ? HostKeyVerdict.Known : HostKeyVerdict.Changed;
    }

    /// <summary>The key types known for the host (<c>ssh-ed25519</c>, <c>ssh-rsa</c> …), in file order: the handshake asks
    /// for these first, so that a host whose key is pinned presents that key (OpenSSH orders its HostKeyAlgorithms the same way).</summary>
    public IReadOnlyList<string> KeyTypes(string host) =>
        _entries.Where(e => e.Marker == Marker.None && e.Matches(host)).Select(e => e.KeyType).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A hashed known_hosts line for a new key, as <c>ssh -o HashKnownHosts=yes</c> writes it (with its newline).</summary>
    public static string HashedLine(string host, byte[] keyBlob)
    {
        var salt = new byte[20];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(salt);
        using var hmac = new HMACSHA1(salt);
        var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(host.ToLowerInvariant()));
        return "|1|" + Convert.ToBase64String(salt) + "|" + Convert.ToBase64String(hash) + " " + KeyTypeOf(keyBlob) + " " + Convert.ToBase64String(keyBlob) + "\n";
    }

    /// <summary>The key type a key blob names (its first SSH string), or null for a blob that is not one.</summary>
    public static string? KeyTypeOf(byte[] blob)
    {
        if (blob.Length < 4) return null;
        var n = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        if (n <= 0 || n > 64 || 4 + n > blob.Length) return null;
        return Encoding.ASCII.GetString(blob, 4, n);
    }

    private enum Marker { None, Revoked, CertAuthority }

    private sealed class Entry
    {
        private string[] _patterns = Array.Empty<string>();
        private byte[]? _salt;
        private byte[]? _hash;

        public Marker Marker { get; private set; }
        public string KeyType { get; private set; } = "";
        public byte[] Key { get; private set; } = Array.Empty<byte>();
        public int Line { get; private set; }

        public static bool TryParse(string line, int lineNo, out Entry? entry)
        {
            entry = null;
            var fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith("#", StringComparison.Ordinal)) return false;
            var e = new Entry { Line = lineNo };
            var i = 0;
            if (fields[0].StartsWith("@", StringComparison.Ordinal))
            {
                if (fields[0] == "@revoked") e.Marker = Marker.Revoked;
                else if (fields[0] == "@cert-authority") e.Marker = Marker.CertAuthority;
                else return false;
                i = 1;
            }
            if (fields.Length < i + 3) return false;
            var hosts = fields[i];
            if (hosts.StartsWith("|1|", StringComparison.Ordinal))
            {
                var parts = hosts.Split('|');
                if (parts.Length != 4 || !TryBase64(parts[2], out e._salt) || !TryBase64(parts[3], out e._hash) || e._hash!.Length != 20) return false;
            }
            else
            {
                e._patterns = hosts.ToLowerInvariant().Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
                if (e._patterns.Length == 0) return false;
            }
            e.KeyType = fields[i + 1];
            if (!TryBase64(fields[i + 2], out var key) || KeyTypeOf(key!) != e.KeyType) return false;
            e.Key = key!;
            entry = e;
            return true;
        }

        public bool Matches(string host)
        {
            host = host.ToLowerInvariant();
            if (_salt != null)
            {
                using var hmac = new HMACSHA1(_salt);
                return hmac.ComputeHash(Encoding.UTF8.GetBytes(host)).SequenceEqual(_hash!);
            }
            var hit = false;
            foreach (var p in _patterns)
            {
                var negated = p.StartsWith("!", StringComparison.Ordinal);
                if (!Wildcard(negated ? p.Substring(1) : p, 0, host, 0)) continue;
                if (negated) return false;
                hit = true;
            }
            return hit;
        }

        private static bool Wildcard(string p, int pi, string s, int si)
        {
            while (pi < p.Length)
            {
                if (p[pi] == '*')
                {
                    for (var k = si; k <= s.Length; k++)
                        if (Wildcard(p, pi + 1, s, k)) return true;
                    return false;
                }
                if (si >= s.Length || (p[pi] != '?' && p[pi] != s[si])) return false;
                pi++;
                si++;
            }
            return si == s.Length;
        }

        private static bool TryBase64(string s, out byte[]? bytes)
        {
            try { bytes = Convert.FromBase64String(s); return bytes.Length > 0; }
            catch (FormatException) { bytes = null; return false; }
        }
    }
}
