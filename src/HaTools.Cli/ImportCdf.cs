using System.IO;
using System.Text;
using HaTools.Core.Stacks.Hare;

namespace HaTools.Cli;

/// <summary><c>hatools import-cdf CDF [--out FILE] [--name NAME] [--force]</c>: a Hare CDF to a stack: consul cluster
/// file (to stdout without --out), Hare's rules checked first; the front of <see cref="HareCdf.Convert"/>.</summary>
internal static class ImportCdf
{
    public const string Usage = "  import-cdf CDF [--out FILE] [--name NAME] [--force]\n                                         a Hare CDF to a consul cluster file (stdout without --out)";

    public static int Run(Args a, ConsoleHost host)
    {
        var outFile = a.Option("out");
        if (outFile != null && File.Exists(outFile) && !a.Flag("force")) throw new UsageException($"{outFile} exists: add --force to overwrite it");
        var result = HareCdf.Convert(a.Positional(0, "CDF"), a.Option("name"));
        if (outFile == null) { System.Console.Out.Write(result.Yaml); return 0; }
        if (host.ShouldProcess(outFile, "write cluster file")) File.WriteAllText(outFile, result.Yaml, new UTF8Encoding(false));
        return 0;
    }
}
