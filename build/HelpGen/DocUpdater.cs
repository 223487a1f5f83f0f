namespace HaTools.HelpGen;

/// <summary>platyPS's Update-MarkdownHelp without PowerShell: syntax and parameter metadata come from the compiled
/// cmdlet; prose (synopsis, description, examples, parameter descriptions and defaults, inputs/outputs text, notes) is kept.</summary>
public static class DocUpdater
{
    public const string Fill = "{{ Fill in }}";

    public static CommandDoc Update(CmdletInfo cmdlet, CommandDoc? existing)
    {
        var doc = new CommandDoc
        {
            Name = cmdlet.Name,
            Synopsis = Prose(existing?.Synopsis),
            Description = Prose(existing?.Description),
            Notes = existing?.Notes ?? "",
        };
        if (existing != null)
        {
            doc.Examples.AddRange(existing.Examples);
            doc.RelatedLinks.AddRange(existing.RelatedLinks);
        }
        if (doc.Examples.Count == 0) doc.Examples.Add(new ExampleDoc { Title = "Example 1", Code = "PS> " + cmdlet.Name, Remarks = Fill });

        var parameters = cmdlet.Parameters.ToList();
        if (cmdlet.SupportsShouldProcess)
        {
            parameters.Add(Common("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."));
            parameters.Add(Common("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."));
        }
        foreach (var p in parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            var old = existing?.Parameters.FirstOrDefault(e => string.Equals(e.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            if (old != null)
            {
                p.Description = old.Description;
                if (old.DefaultValue.Length > 0) p.DefaultValue = old.DefaultValue;
            }
            if (string.IsNullOrWhiteSpace(p.Description)) p.Description = Fill;
            doc.Parameters.Add(p);
        }

        foreach (var set in cmdlet.ParameterSets)
        {
            doc.Syntax.Add(new SyntaxDoc
            {
                SetName = set,
                IsDefault = cmdlet.ParameterSets.Count > 1 && set == cmdlet.DefaultParameterSetName,
                Text = SyntaxLine(cmdlet.Name, set, doc.Parameters),
            });
        }

        foreach (var t in PipelineInputTypes(doc.Parameters))
            doc.Inputs.Add(new TypeDoc { Type = t, Description = existing?.Inputs.FirstOrDefault(i => i.Type == t)?.Description ?? "" });
        if (doc.Inputs.Count == 0)
            doc.Inputs.Add(new TypeDoc { Type = "None", Description = existing?.Inputs.FirstOrDefault(i => i.Type == "None")?.Description ?? "This cmdlet does not take pipeline input." });
        foreach (var t in cmdlet.OutputTypes.Distinct())
            doc.Outputs.Add(new TypeDoc { Type = t, Description = existing?.Outputs.FirstOrDefault(o => o.Type == t)?.Description ?? "" });
        return doc;
    }

    private static string Prose(string? text) => string.IsNullOrWhiteSpace(text) ? Fill : text!;

    private static ParameterDoc Common(string name, string alias, string description)
    {
        var p = new ParameterDoc { Name = name, Type = "SwitchParameter", Description = description, DefaultValue = "False" };
        p.Aliases.Add(alias);
        var u = new ParameterUsage();
        u.Sets.Add("(All)");
        p.Usages.Add(u);
        return p;
    }

    private static IEnumerable<string> PipelineInputTypes(IEnumerable<ParameterDoc> parameters) =>
        parameters.Where(p => p.Usages.Any(u => u.PipelineInput != "False"))
            .Select(p => p.Type.Replace("[]", ""))
            .Select(t => t is "String" or "Int32" or "Boolean" or "TimeSpan" ? "System." + t : t)
            .Distinct();

    /// <summary>Get-Command -Syntax style: positional first, then named; mandatory without brackets; switches without a value.</summary>
    public static string SyntaxLine(string name, string set, IEnumerable<ParameterDoc> parameters)
    {
        var items = new List<(int Order, string Text)>();
        foreach (var p in parameters)
        {
            var u = set == CmdletReflector.AllSets ? p.Usages.FirstOrDefault() : p.UsageIn(set);
            if (u == null) continue;
            var positional = int.TryParse(u.Position, out var pos);
            var nameText = positional ? "[-" + p.Name + "]" : "-" + p.Name;
            var text = p.IsSwitch ? "-" + p.Name : nameText + " <" + p.Type + ">";
            if (!u.Required) text = "[" + text + "]";
            items.Add((positional ? pos : 1000 + (p.Name is "WhatIf" or "Confirm" ? 1 : 0), text));
        }
        return name + " " + string.Join(" ", items.OrderBy(i => i.Order).Select(i => i.Text).Append("[<CommonParameters>]"));
    }
}
