using System.Linq;
using System.Xml.Linq;
using HaTools.HelpGen;
using Xunit;

namespace HaTools.Tests;

public class HelpGenTests
{
    private const string Sample = """
        ---
        external help file: HaTools.dll-Help.xml
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets things.

        ## SYNTAX

        ### __AllParameterSets
        ```
        Get-Thing [[-Name] <String[]>] [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph.

        Second `paragraph`.

        ## EXAMPLES

        ### Example 1: All
        ```powershell
        # a comment, not a heading
        Get-Thing | Where-Object Name -like a*
        ```

        Remarks.

        ## PARAMETERS

        ### -Name
        The names.

        ```yaml
        Type: String[]
        Parameter Sets: (All)
        Aliases: N

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: True
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        Names.

        ## OUTPUTS

        ### Thing
        A thing.

        ## NOTES
        Note.

        ## RELATED LINKS

        [about_Things](about_Things.help.txt)
        """;

    [Fact]
    public void Reads_platyPS_markdown()
    {
        var doc = Markdown.Read(Sample);
        Assert.Equal("Get-Thing", doc.Name);
        Assert.Equal("Gets things.", doc.Synopsis);
        var example = Assert.Single(doc.Examples);
        Assert.StartsWith("# a comment", example.Code);
        Assert.Equal("Remarks.", example.Remarks);
        var p = Assert.Single(doc.Parameters);
        Assert.Equal(("Name", "String[]", "0", "True (ByValue)", true), (p.Name, p.Type, p.Usages[0].Position, p.Usages[0].PipelineInput, p.Wildcards));
        Assert.Equal("N", Assert.Single(p.Aliases));
        Assert.Equal("System.String", Assert.Single(doc.Inputs).Type);
        Assert.Single(doc.RelatedLinks);
    }

    [Fact]
    public void Markdown_round_trips()
    {
        var once = Markdown.Write(Markdown.Read(Sample));
        Assert.Equal(once, Markdown.Write(Markdown.Read(once)));
    }

    [Fact]
    public void Writes_MAML_that_Get_Help_reads()
    {
        var xml = Maml.Write(new[] { Markdown.Read(Sample) });
        XNamespace c = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace m = "http://schemas.microsoft.com/maml/2004/10";
        var command = Assert.Single(xml.Root!.Elements(c + "command"));
        Assert.Equal("helpItems", xml.Root.Name.LocalName);
        Assert.Equal("Get", command.Element(c + "details")!.Element(c + "verb")!.Value);
        Assert.Equal(2, command.Element(m + "description")!.Elements(m + "para").Count());
        Assert.Equal("Second paragraph.", command.Element(m + "description")!.Elements(m + "para").Last().Value);
        var parameter = command.Element(c + "parameters")!.Element(c + "parameter")!;
        Assert.Equal(("true", "1", "True (ByValue)"), (parameter.Attribute("globbing")!.Value, parameter.Attribute("position")!.Value, parameter.Attribute("pipelineInput")!.Value));
        Assert.Single(command.Element(c + "examples")!.Elements(c + "example"));
        // Get-Help matches element names with their prefixes.
        Assert.Contains("<command:command>", xml.ToString());
        Assert.Contains("<maml:para>", xml.ToString());
    }
}
