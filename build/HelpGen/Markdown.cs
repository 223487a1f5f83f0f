using System.Text;
using System.Text.RegularExpressions;

namespace HaTools.HelpGen;

/// <summary>Reads and writes platyPS markdown (schema 2.0.0) for one cmdlet.</summary>
public static class Markdown
{
    public static CommandDoc Read(string text)
    {
        var doc = new CommandDoc();
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var i = 0;
        if (lines.Count > 0 && lines[0].Trim() == "---")
        {
            i = 1;
            while (i < lines.Count && lines[i].Trim() != "---") i++;
            i++;
        }
        string? section = null;
        var buffer = new List<string>();
        for (; i <= lines.Count; i++)
        {
            var line = i < lines.Count ? lines[i] : null;
            if (line == null || line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (section != null) ReadSection(doc, section, buffer);
                buffer.Clear();
                if (line == null) break;
                if (line.StartsWith("# ", StringComparison.Ordinal)) { doc.Name = line.Substring(2).Trim(); section = null; }
                else section = line.Substring(3).Trim().ToUpperInvariant();
                continue;
            }
            if (IsFence(line))
            {
                // Keep fenced blocks whole: a '#' inside code is not a heading.
                buffer.Add(line);
                for (i++; i < lines.Count; i++)
                {
                    buffer.Add(lines[i]);
                    if (IsFence(lines[i])) break;
                }
                continue;
            }
            buffer.Add(line);
        }
        return doc;
    }

    private static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

    private static void ReadSection(CommandDoc doc, string section, List<string> lines)
    {
        switch (section)
        {
            case "SYNOPSIS": doc.Synopsis = Text(lines); break;
            case "DESCRIPTION": doc.Description = Text(lines); break;
            case "NOTES": doc.Notes = Text(lines); break;
            case "RELATED LINKS": doc.RelatedLinks.AddRange(lines.Select(l => l.Trim()).Where(l => l.Length > 0)); break;
            case "SYNTAX":
                foreach (var (title, body) in Subsections(lines))
                {
                    var isDefault = title.EndsWith("(Default)", StringComparison.Ordinal);
                    var (code, _) = SplitCode(body);
                    doc.Syntax.Add(new SyntaxDoc { SetName = title.Replace("(Default)", "").Trim(), IsDefault = isDefault, Text = code });
                }
                break;
            case "EXAMPLES":
                foreach (var (title, body) in Subsections(lines))
                {
                    var (code, rest) = SplitCode(body);
                    doc.Examples.Add(new ExampleDoc { Title = title, Code = code, Remarks = Text(rest) });
                }
                break;
            case "PARAMETERS":
                foreach (var (title, body) in Subsections(lines))
                {
                    if (!title.StartsWith("-", StringComparison.Ordinal)) continue; // CommonParameters
                    doc.Parameters.Add(ReadParameter(title.Substring(1).Trim(), body));
                }
                break;
            case "INPUTS":
            case "OUTPUTS":
                foreach (var (title, body) in Subsections(lines))
                    (section == "INPUTS" ? doc.Inputs : doc.Outputs).Add(new TypeDoc { Type = title, Description = Text(body) });
                break;
        }
    }

    private static ParameterDoc ReadParameter(string name, List<string> body)
    {
        var p = new ParameterDoc { Name = name };
        var description = new List<string>();
        for (var i = 0; i < body.Count; i++)
        {
            if (!IsFence(body[i])) { description.Add(body[i]); continue; }
            var usage = new ParameterUsage();
            for (i++; i < body.Count && !IsFence(body[i]); i++)
            {
                var colon = body[i].IndexOf(':');
                if (colon < 0) continue;
                var key = body[i].Substring(0, colon).Trim();
                var value = body[i].Substring(colon + 1).Trim();
                switch (key)
                {
                    case "Type": p.Type = value; break;
                    case "Parameter Sets": usage.Sets.AddRange(List(value)); break;
                    case "Aliases": if (p.Aliases.Count == 0) p.Aliases.AddRange(List(value)); break;
                    case "Accepted values": if (p.AcceptedValues.Count == 0) p.AcceptedValues.AddRange(List(value)); break;
                    case "Required": usage.Required = value.Equals("True", StringComparison.OrdinalIgnoreCase); break;
                    case "Position": usage.Position = value; break;
                    case "Default value": p.DefaultValue = value; break;
                    case "Accept pipeline input": usage.PipelineInput = value; break;
                    case "Accept wildcard characters": p.Wildcards = value.Equals("True", StringComparison.OrdinalIgnoreCase); break;
                }
            }
            p.Usages.Add(usage);
        }
        p.Description = Text(description);
        return p;
    }

    private static IEnumerable<string> List(string value) => value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);

    private static IEnumerable<(string Title, List<string> Body)> Subsections(List<string> lines)
    {
        string? title = null;
        var body = new List<string>();
        var inFence = false;
        foreach (var line in lines)
        {
            if (IsFence(line)) inFence = !inFence;
            if (!inFence && line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (title != null) yield return (title, body);
                title = line.Substring(4).Trim();
                body = new List<string>();
                continue;
            }
            if (title != null) body.Add(line);
        }
        if (title != null) yield return (title, body);
    }

    private static (string Code, List<string> Remainder) SplitCode(List<string> body)
    {
        var code = new List<string>();
        var rest = new List<string>();
        var state = 0; // 0 before the first fence, 1 inside, 2 after
        foreach (var line in body)
        {
            if (state < 2 && IsFence(line)) { state++; continue; }
            if (state == 1) code.Add(line);
            else if (state == 2) rest.Add(line);
        }
        return (string.Join("\n", code).TrimEnd(), rest);
    }

    private static string Text(IEnumerable<string> lines) => string.Join("\n", lines).Trim();

    public static string Write(CommandDoc doc, string moduleName = "HaTools")
    {
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L("---");
        L("external help file: " + moduleName + ".dll-Help.xml");
        L("Module Name: " + moduleName);
        L("online version:");
        L("schema: 2.0.0");
        L("---");
        L();
        L("# " + doc.Name);
        L();
        L("## SYNOPSIS");
        L(doc.Synopsis);
        L();
        L("## SYNTAX");
        foreach (var s in doc.Syntax)
        {
            L();
            L("### " + s.SetName + (s.IsDefault ? " (Default)" : ""));
            L("```");
            L(s.Text);
            L("```");
        }
        L();
        L("## DESCRIPTION");
        L(doc.Description);
        L();
        L("## EXAMPLES");
        foreach (var e in doc.Examples)
        {
            L();
            L("### " + e.Title);
            L("```powershell");
            L(e.Code);
            L("```");
            if (e.Remarks.Length > 0) { L(); L(e.Remarks); }
        }
        L();
        L("## PARAMETERS");
        foreach (var p in doc.Parameters)
        {
            L();
            L("### -" + p.Name);
            L(p.Description);
            L();
            foreach (var u in p.Usages)
            {
                L("```yaml");
                L("Type: " + p.Type);
                L("Parameter Sets: " + string.Join(", ", u.Sets));
                L("Aliases:" + (p.Aliases.Count > 0 ? " " + string.Join(", ", p.Aliases) : ""));
                if (p.AcceptedValues.Count > 0) L("Accepted values: " + string.Join(", ", p.AcceptedValues));
                L();
                L("Required: " + (u.Required ? "True" : "False"));
                L("Position: " + u.Position);
                L("Default value: " + p.DefaultValue);
                L("Accept pipeline input: " + u.PipelineInput);
                L("Accept wildcard characters: " + (p.Wildcards ? "True" : "False"));
                L("```");
                L();
            }
        }
        if (doc.Parameters.Count == 0) L();
        L("### CommonParameters");
        L("This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).");
        L();
        L("## INPUTS");
        foreach (var t in doc.Inputs) { L(); L("### " + t.Type); if (t.Description.Length > 0) L(t.Description); }
        L();
        L("## OUTPUTS");
        foreach (var t in doc.Outputs) { L(); L("### " + t.Type); if (t.Description.Length > 0) L(t.Description); }
        L();
        L("## NOTES");
        if (doc.Notes.Length > 0) L(doc.Notes);
        L();
        L("## RELATED LINKS");
        if (doc.RelatedLinks.Count > 0) { L(); foreach (var l in doc.RelatedLinks) { L(l); L(); } }
        return Regex.Replace(sb.ToString(), "\n{3,}", "\n\n").TrimEnd('\n') + "\n";
    }
}
