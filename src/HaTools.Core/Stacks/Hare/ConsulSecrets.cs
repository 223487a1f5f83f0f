using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hare;

/// <summary>
/// The two secrets of a consul cluster, read when an operation needs them from where the file names them
/// (<c>consul.encrypt</c>, <c>consul.acl_token</c>: a file or an environment variable). A file must be private to its
/// owner (0600 or 0400), as ssh demands of a key. No message here contains a secret.
/// </summary>
public sealed class ConsulSecrets
{
    private static readonly Regex Token = new Regex(@"\A[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant);

    /// <summary>The gossip key (base64 of 16, 24 or 32 bytes, what <c>consul keygen</c> prints); null = gossip unencrypted.</summary>
    public string? Encrypt { get; private set; }
    /// <summary>The ACL token; null = ACLs off.</summary>
    public string? AclToken { get; private set; }

    /// <param name="environment">Looks up an environment variable (the process environment when null).</param>
    public static ConsulSecrets Read(ClusterSpec spec, Func<string, string?>? environment = null)
    {
        var c = spec.Section<ConsulSection>().Consul;
        var s = new ConsulSecrets();
        if (c.Encrypt != null)
        {
            s.Encrypt = Value(spec, c.Encrypt, "consul.encrypt", environment);
            if (EncryptProblem(s.Encrypt) is { } why) throw new HaException($"{why} (from {Where(spec, c.Encrypt, "consul.encrypt")})") { Target = c.Encrypt.ToString() };
        }
        if (c.AclToken != null)
        {
            s.AclToken = Value(spec, c.AclToken, "consul.acl_token", environment);
            if (TokenProblem(s.AclToken) is { } why) throw new HaException($"{why} (from {Where(spec, c.AclToken, "consul.acl_token")})") { Target = c.AclToken.ToString() };
        }
        return s;
    }

    /// <summary>Only the token (what every API call needs); null when the file names none.</summary>
    public static string? ReadToken(ClusterSpec spec, Func<string, string?>? environment = null)
    {
        var c = spec.Section<ConsulSection>().Consul;
        if (c.AclToken == null) return null;
        var t = Value(spec, c.AclToken, "consul.acl_token", environment);
        return TokenProblem(t) is { } why ? throw new HaException($"{why} (from {Where(spec, c.AclToken, "consul.acl_token")})") : t;
    }

    public static string? EncryptProblem(string key)
    {
        byte[] raw;
        try { raw = Convert.FromBase64String(key); }
        catch (FormatException) { return "the gossip encryption key is not base64 (make one with 'consul keygen')"; }
        return raw.Length is 16 or 24 or 32 ? null : $"the gossip encryption key holds {raw.Length} bytes; Consul takes 16, 24 or 32 (make one with 'consul keygen')";
    }

    public static string? TokenProblem(string token) =>
        Token.IsMatch(token) ? null : "the ACL token must be 1 to 128 of letters, digits and . _ - (a Consul token is a UUID)";

    private static string Where(ClusterSpec spec, SecretSource src, string field) =>
        src.Env != null ? $"environment variable {src.Env} ({field}.env)" : $"'{PathOf(spec, src.File!)}' ({field}.file)";

    private static string PathOf(ClusterSpec spec, string file)
    {
        var dir = spec.SourceFile.Length > 0 ? Path.GetDirectoryName(Path.GetFullPath(spec.SourceFile)) ?? "" : Directory.GetCurrentDirectory();
        return Path.GetFullPath(Path.Combine(dir, file));
    }

    private static string Value(ClusterSpec spec, SecretSource src, string field, Func<string, string?>? environment)
    {
        var where = Where(spec, src, field);
        if (src.Env != null)
        {
            var v = ((environment ?? Environment.GetEnvironmentVariable)(src.Env) ?? "").Trim();
            return v.Length > 0 ? v : throw new HaException($"{where} is not set") { Target = src.Env };
        }
        var path = PathOf(spec, src.File!);
        if (!File.Exists(path)) throw new HaException($"the secret file {where} does not exist") { Target = path };
        if (UnixMode(path) is int mode && (mode & 0x3F) != 0)
            throw new HaException($"the secret file {where} may be read by its group or others (mode {Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0')}): make it 0600 or 0400") { Target = path };
        var value = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n')[0].Trim();
        return value.Length > 0 ? value : throw new HaException($"the secret file {where} is empty") { Target = path };
    }

    /// <summary>Permission bits where the runtime has them (.NET 7+ on Unix); null elsewhere (Windows PowerShell).</summary>
    private static int? UnixMode(string path)
    {
        if (Path.DirectorySeparatorChar == '\\') return null;
        var m = typeof(File).GetMethods().FirstOrDefault(x => x.Name == "GetUnixFileMode" && x.GetParameters().Length == 1 && x.GetParameters()[0].ParameterType == typeof(string));
        return m == null ? null : Convert.ToInt32(m.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture);
    }
}
