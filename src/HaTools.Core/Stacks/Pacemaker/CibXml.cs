using System;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>Reading and writing CIB XML text the same way everywhere: no declaration, 2-space indent, LF.</summary>
public static class CibXml
{
    /// <summary>The XML text to send to cibadmin (stdin) or to write to a golden file.</summary>
    public static string ToText(XElement element)
    {
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            Encoding = new UTF8Encoding(false),
        };
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriter(sb), settings)) element.WriteTo(w);
        return sb.Append('\n').ToString();
    }

    /// <inheritdoc cref="ToText(XElement)"/>
    public static string ToText(XDocument document) => ToText(document.Root ?? throw new ArgumentException("empty document"));

    /// <summary>Parses XML a Pacemaker tool printed; a parse error becomes a <see cref="PacemakerOutputException"/>.</summary>
    public static XElement Parse(string? xml, string what)
    {
        if (string.IsNullOrWhiteSpace(xml)) throw new PacemakerOutputException($"{what}: the output is empty");
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(xml!), settings);
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new PacemakerOutputException($"{what}: not well-formed XML (line {e.LineNumber}, column {e.LinePosition}): {e.Message}", e);
        }
    }
}
