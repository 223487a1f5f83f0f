using HaTools.HelpGen;

// HelpGen: the module's build tool, for machines with or without PowerShell.
//   stage    [--configuration C] [--root R] [--out DIR]   assemble out/HaTools/<version>/ (allow-listed), help included
//   maml     [--configuration C] [--root R] --out FILE      docs/commands/*.md → MAML
//   markdown [--configuration C] [--root R]                 create/update docs/commands/<Cmdlet>.md from the built HaTools.dll
//   verify   DIR                                            check a staged folder against the allow-list
try
{
    if (args.Length == 0) return Usage();
    var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    var positional = new List<string>();
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) options[args[i].Substring(2)] = args[++i];
        else positional.Add(args[i]);
    }
    var root = options.TryGetValue("root", out var r) ? Path.GetFullPath(r) : Stager.FindRoot(Directory.GetCurrentDirectory());
    var stager = new Stager(root, options.TryGetValue("configuration", out var c) ? c : "Release");
    switch (args[0])
    {
        case "stage":
            Console.WriteLine("staged " + stager.Stage(options.TryGetValue("out", out var o) ? Path.GetFullPath(o) : null));
            return 0;
        case "maml":
            if (!options.TryGetValue("out", out var mamlOut)) return Usage();
            var docs = Docs.ReadAll(Path.Combine(root, "docs", "commands"));
            Maml.Write(docs).Save(mamlOut);
            Console.WriteLine($"wrote {docs.Count} commands to {mamlOut}");
            return 0;
        case "markdown":
            var folder = Path.Combine(root, "docs", "commands");
            Directory.CreateDirectory(folder);
            foreach (var cmdlet in CmdletReflector.Read(stager.ModuleDll))
            {
                var file = Path.Combine(folder, cmdlet.Name + ".md");
                var existing = File.Exists(file) ? Markdown.Read(File.ReadAllText(file)) : null;
                File.WriteAllText(file, Markdown.Write(DocUpdater.Update(cmdlet, existing)));
                Console.WriteLine((existing == null ? "created " : "updated ") + file);
            }
            return 0;
        case "verify":
            if (positional.Count == 0) return Usage();
            Stager.Verify(positional[0]);
            Console.WriteLine("ok");
            return 0;
        default:
            return Usage();
    }
}
catch (StageException e)
{
    Console.Error.WriteLine("HelpGen: " + e.Message);
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: HelpGen stage|maml|markdown|verify [--configuration Release] [--root DIR] [--out PATH]");
    return 2;
}
