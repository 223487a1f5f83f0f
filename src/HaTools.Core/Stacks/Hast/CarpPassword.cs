using System;
using System.IO;
using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;

namespace HaTools.Core.Stacks.Hast;

/// <summary>
/// Reads the CARP password from where the cluster file says (carp.password_file or carp.password_env); the file never
/// holds it. A password file must be private to its owner (mode 0600 or 0400): one that its group or others may read is
/// refused, as ssh refuses such a key. No message here ever contains the password.
/// </summary>
public static class CarpPassword
{
    /// <param name="environment">Looks up an environment variable (the process environment when null; tests give their own).</param>
    public static string Read(ClusterSpec spec, Func<string, string?>? environment = null)
    {
        var c = spec.Section<HastSection>().Carp;
        string value, source;
        if (c.PasswordEnv != null)
        {
            source = $"environment variable {c.PasswordEnv} (carp.password_env)";
            value = (environment ?? Environment.GetEnvironmentVariable)(c.PasswordEnv) ?? "";
            if (value.Length == 0) throw new HaException($"{source} is not set") { Target = c.PasswordEnv };
        }
        else if (c.PasswordFile != null)
        {
            var dir = spec.SourceFile.Length > 0 ? Path.GetDirectoryName(spec.SourceFile) ?? "" : Directory.GetCurrentDirectory();
            var path = Path.GetFullPath(Path.Combine(dir, c.PasswordFile));
            source = $"'{path}' (carp.password_file)";
            if (!File.Exists(path)) throw new HaException($"the CARP password file {source} does not exist") { Target = path };
            if (UnixMode(path) is int mode && (mode & 0x3F) != 0)
                throw new HaException($"the CARP password file {source} may be read by its group or others (mode {Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0')}): make it 0600 or 0400") { Target = path };
            value = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n')[0];
        }
        else throw new HaException($"cluster '{spec.Name}' has no CARP password source (carp.password_file or carp.password_env)") { Target = spec.Name };
        if (HastRules.CarpPasswordProblem(value) is { } why) throw new HaException($"{why} (from {source})") { Target = source };
        return value;
    }

    /// <summary>The file's permission bits where the runtime knows them (.NET 7 and later on Unix); null elsewhere
    /// (Windows PowerShell on Windows, which has no such bits).</summary>
    private static int? UnixMode(string path)
    {
        if (Path.DirectorySeparatorChar == '\\') return null;
        var get = typeof(File).GetMethods().FirstOrDefault(m => m.Name == "GetUnixFileMode" && m.GetParameters().Length == 1 && m.GetParameters()[0].ParameterType == typeof(string));
        return get == null ? null : Convert.ToInt32(get.Invoke(null, new object[] { path }), System.Globalization.CultureInfo.InvariantCulture);
    }
}
