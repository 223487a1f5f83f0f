using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HaTools.HelpGen;

/// <summary>Assembles out/HaTools/&lt;version&gt;/ from an allow-list, with no PowerShell: stamped manifest, the three
/// assemblies (third-party ones under dependencies/), format file, MAML help from docs/commands, about topic.</summary>
public sealed class Stager
{
    /// <summary>Assemblies that go under dependencies/ and load only through the module's DependencyResolver: YamlDotNet,
    /// and the sshnet transport with SSH.NET and what SSH.NET needs on netstandard2.0 (loaded when a cluster file says
    /// ssh.transport: sshnet; the System.* ones are in .NET itself, so only Windows PowerShell 5.1 loads them from here).</summary>
    public static readonly IReadOnlyList<string> Dependencies = new[]
    {
        "YamlDotNet.dll",
        "HaTools.Transport.SshNet.dll", "Renci.SshNet.dll", "BouncyCastle.Cryptography.dll",
        "Microsoft.Extensions.Logging.Abstractions.dll", "Microsoft.Extensions.DependencyInjection.Abstractions.dll", "Microsoft.Bcl.AsyncInterfaces.dll",
        "System.Formats.Asn1.dll", "System.Memory.dll", "System.Buffers.dll", "System.Numerics.Vectors.dll",
        "System.Runtime.CompilerServices.Unsafe.dll", "System.Threading.Tasks.Extensions.dll",
    };

    /// <summary>Exactly the files of a staged module (relative, '/' separated). Anything missing or extra fails staging.</summary>
    public static readonly IReadOnlyList<string> AllowList = new[]
    {
        "HaTools.psd1",
        "HaTools.dll",
        "HaTools.Core.dll",
        "HaTools.Format.ps1xml",
        "en-US/HaTools.dll-Help.xml",
        "en-US/about_HaTools.help.txt",
    }.Concat(Dependencies.Select(d => "dependencies/" + d)).ToList();

    /// <summary>The assemblies the build output may hold, and where each goes (anything else there is a new dependency nobody allowed).</summary>
    public static readonly IReadOnlyDictionary<string, string> Assemblies = new Dictionary<string, string>
    {
        ["HaTools.dll"] = "HaTools.dll",
        ["HaTools.Core.dll"] = "HaTools.Core.dll",
    }.Concat(Dependencies.Select(d => new KeyValuePair<string, string>(d, "dependencies/" + d))).ToDictionary(kv => kv.Key, kv => kv.Value);

    public const string VersionToken = "{{ModuleVersion}}";

    public Stager(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }
    public string Configuration { get; }
    public string BuildOutput => Path.Combine(Root, "src", "HaTools", "bin", Configuration, "netstandard2.0");
    public string ModuleDll => Path.Combine(BuildOutput, "HaTools.dll");

    public static string FindRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "HaTools.sln"))) return d.FullName;
        throw new StageException($"no HaTools.sln above {start}; give --root");
    }

    public string Version()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var v = props.Descendants("VersionPrefix").Select(e => e.Value.Trim()).FirstOrDefault();
        if (string.IsNullOrEmpty(v) || !Regex.IsMatch(v, @"^\d+\.\d+\.\d+(\.\d+)?$"))
            throw new StageException("Directory.Build.props has no usable VersionPrefix (want 1.2.3)");
        return v;
    }

    /// <summary>Stage into <paramref name="outRoot"/>/&lt;version&gt; (default out/HaTools); returns the folder.</summary>
    public string Stage(string? outRoot = null)
    {
        var version = Version();
        var target = Path.Combine(outRoot ?? Path.Combine(Root, "out", "HaTools"), version);
        if (!File.Exists(ModuleDll)) throw new StageException($"{ModuleDll} is missing: run 'dotnet build src/HaTools -c {Configuration}' first");
        var extra = Directory.GetFiles(BuildOutput, "*.dll").Select(f => Path.GetFileName(f)).Where(f => !Assemblies.ContainsKey(f)).ToList();
        if (extra.Count > 0)
            throw new StageException($"unexpected assemblies in {BuildOutput}: {string.Join(", ", extra)} (a new runtime dependency must be added to Stager.AllowList/Assemblies, or kept out of the build output)");

        var cmdlets = CmdletReflector.Read(ModuleDll);
        var manifestTemplate = File.ReadAllText(Path.Combine(Root, "module", "HaTools.psd1"));
        if (!manifestTemplate.Contains(VersionToken, StringComparison.Ordinal)) throw new StageException($"module/HaTools.psd1 has no {VersionToken}");
        CheckManifest(manifestTemplate, cmdlets);
        var docs = Docs.ReadAll(Path.Combine(Root, "docs", "commands"));
        var missingDocs = cmdlets.Select(c => c.Name).Where(n => !docs.Any(d => d.Name == n)).ToList();
        if (missingDocs.Count > 0) throw new StageException("no docs/commands/<name>.md for: " + string.Join(", ", missingDocs));

        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.CreateDirectory(Path.Combine(target, "en-US"));
        Directory.CreateDirectory(Path.Combine(target, "dependencies"));
        File.WriteAllText(Path.Combine(target, "HaTools.psd1"), manifestTemplate.Replace(VersionToken, version));
        foreach (var a in Assemblies) File.Copy(Path.Combine(BuildOutput, a.Key), Path.Combine(target, a.Value));
        File.Copy(Path.Combine(Root, "module", "HaTools.Format.ps1xml"), Path.Combine(target, "HaTools.Format.ps1xml"));
        File.Copy(Path.Combine(Root, "module", "en-US", "about_HaTools.help.txt"), Path.Combine(target, "en-US", "about_HaTools.help.txt"));
        Maml.Write(docs.Where(d => cmdlets.Any(c => c.Name == d.Name))).Save(Path.Combine(target, "en-US", "HaTools.dll-Help.xml"));
        Verify(target);
        return target;
    }

    /// <summary>The staged folder holds exactly the allow-list.</summary>
    public static void Verify(string folder)
    {
        var present = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        var missing = AllowList.Where(f => !present.Contains(f)).ToList();
        var extra = present.Where(f => !AllowList.Contains(f)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new StageException($"{folder}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]");
        var manifest = File.ReadAllText(Path.Combine(folder, "HaTools.psd1"));
        if (manifest.Contains("{{", StringComparison.Ordinal)) throw new StageException("the staged manifest still holds a {{token}}");
    }

    /// <summary>CmdletsToExport in the manifest equals the [Cmdlet] types in the assembly.</summary>
    public static void CheckManifest(string manifest, IEnumerable<CmdletInfo> cmdlets)
    {
        var exported = ManifestCmdlets(manifest);
        var actual = cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var notExported = actual.Except(exported).ToList();
        var notDefined = exported.Except(actual).ToList();
        if (notExported.Count > 0 || notDefined.Count > 0)
            throw new StageException($"CmdletsToExport differs from the assembly: not exported [{string.Join(", ", notExported)}], not defined [{string.Join(", ", notDefined)}]");
    }

    public static HashSet<string> ManifestCmdlets(string manifest)
    {
        var m = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
        if (!m.Success) throw new StageException("the manifest has no CmdletsToExport = @( … )");
        return Regex.Matches(m.Groups["list"].Value, @"'([^']+)'").Select(x => x.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }
}

public sealed class StageException : Exception
{
    public StageException(string message) : base(message) { }
}

public static class Docs
{
    public static List<CommandDoc> ReadAll(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.md").OrderBy(f => f, StringComparer.Ordinal).Select(f => Markdown.Read(File.ReadAllText(f))).ToList()
            : new List<CommandDoc>();
}
