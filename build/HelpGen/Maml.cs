using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HaTools.HelpGen;

/// <summary>Writes MAML (the format Get-Help reads from &lt;Module&gt;.dll-Help.xml) from markdown docs.
/// Get-Help matches elements by their prefixed names (command:command, maml:para …), so the usual prefixes are kept.</summary>
public static class Maml
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace M = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace C = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace D = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CommandDoc> docs)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", M), new XAttribute(XNamespace.Xmlns + "command", C), new XAttribute(XNamespace.Xmlns + "dev", D));
        foreach (var doc in docs.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)) root.Add(Command(doc));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static XElement Command(CommandDoc doc) =>
        new XElement(C + "command",
            new XElement(C + "details",
                new XElement(C + "name", doc.Name),
                new XElement(C + "verb", doc.Verb),
                new XElement(C + "noun", doc.Noun),
                new XElement(M + "description", Paras(doc.Synopsis))),
            new XElement(M + "description", Paras(doc.Description)),
            new XElement(C + "syntax", doc.Syntax.Select(s => SyntaxItem(doc, s))),
            new XElement(C + "parameters", doc.Parameters.Select(p => Parameter(p, p.Usages.FirstOrDefault() ?? new ParameterUsage()))),
            new XElement(C + "inputTypes", doc.Inputs.Select(t => new XElement(C + "inputType", TypeElement(t.Type), new XElement(M + "description", Paras(t.Description))))),
            new XElement(C + "returnValues", doc.Outputs.Select(t => new XElement(C + "returnValue", TypeElement(t.Type), new XElement(M + "description", Paras(t.Description))))),
            new XElement(M + "alertSet", new XElement(M + "alert", Paras(doc.Notes))),
            new XElement(C + "examples", doc.Examples.Select(Example)),
            new XElement(C + "relatedLinks", doc.RelatedLinks.Select(Link)));

    private static XElement SyntaxItem(CommandDoc doc, SyntaxDoc syntax)
    {
        var item = new XElement(C + "syntaxItem", new XElement(M + "name", doc.Name));
        var entries = new List<(int Order, XElement Element)>();
        foreach (var p in doc.Parameters)
        {
            var u = syntax.SetName == CmdletReflector.AllSets ? p.Usages.FirstOrDefault() : p.UsageIn(syntax.SetName);
            if (u == null) continue;
            entries.Add((int.TryParse(u.Position, out var pos) ? pos : 1000, Parameter(p, u)));
        }
        item.Add(entries.OrderBy(e => e.Order).Select(e => e.Element));
        return item;
    }

    private static XElement Parameter(ParameterDoc p, ParameterUsage u)
    {
        var e = new XElement(C + "parameter",
            new XAttribute("required", u.Required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", p.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", u.PipelineInput),
            new XAttribute("position", int.TryParse(u.Position, out var pos) ? (pos + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(M + "name", p.Name),
            new XElement(M + "description", Paras(p.Description)));
        if (p.AcceptedValues.Count > 0)
            e.Add(new XElement(C + "parameterValueGroup", p.AcceptedValues.Select(v =>
                new XElement(C + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        if (!p.IsSwitch)
            e.Add(new XElement(C + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.Type));
        e.Add(new XElement(D + "type", new XElement(M + "name", p.Type), new XElement(M + "uri")));
        e.Add(new XElement(D + "defaultValue", p.DefaultValue));
        return e;
    }

    private static XElement TypeElement(string type) => new XElement(D + "type", new XElement(M + "name", type), new XElement(M + "uri"), new XElement(M + "description"));

    private static XElement Example(ExampleDoc e) =>
        new XElement(C + "example",
            new XElement(M + "title", "-------------------------- " + e.Title + " --------------------------"),
            new XElement(D + "code", e.Code),
            new XElement(D + "remarks", Paras(e.Remarks)));

    private static XElement Link(string line)
    {
        var m = Regex.Match(line, @"^\[(?<text>[^\]]*)\]\((?<uri>[^)]*)\)$");
        return new XElement(M + "navigationLink",
            new XElement(M + "linkText", m.Success ? m.Groups["text"].Value : line),
            new XElement(M + "uri", m.Success ? m.Groups["uri"].Value : ""));
    }

    /// <summary>Blank-line separated paragraphs; markdown emphasis and inline code marks removed.</summary>
    private static IEnumerable<XElement> Paras(string text)
    {
        var paragraphs = Regex.Split(text.Replace("\r\n", "\n").Trim(), @"\n\s*\n").Where(p => p.Trim().Length > 0).ToList();
        if (paragraphs.Count == 0) return new[] { new XElement(M + "para") };
        return paragraphs.Select(p => new XElement(M + "para", Plain(p)));
    }

    private static string Plain(string paragraph)
    {
        var lines = paragraph.Split('\n').Select(l => l.TrimEnd());
        var text = string.Join("\n", lines.Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal)));
        text = Regex.Replace(text, @"`([^`]*)`", "$1");
        text = Regex.Replace(text, @"\*\*([^*]+)\*\*", "$1");
        return text;
    }
}
