namespace HaTools.HelpGen;

/// <summary>One cmdlet's help, as platyPS markdown holds it.</summary>
public sealed class CommandDoc
{
    public string Name { get; set; } = "";
    public string Synopsis { get; set; } = "";
    public string Description { get; set; } = "";
    public List<SyntaxDoc> Syntax { get; } = new();
    public List<ExampleDoc> Examples { get; } = new();
    public List<ParameterDoc> Parameters { get; } = new();
    public List<TypeDoc> Inputs { get; } = new();
    public List<TypeDoc> Outputs { get; } = new();
    public string Notes { get; set; } = "";
    public List<string> RelatedLinks { get; } = new();

    public string Verb => Name.Split('-')[0];
    public string Noun => Name.Contains('-') ? Name.Substring(Name.IndexOf('-') + 1) : "";
}

public sealed class SyntaxDoc
{
    public string SetName { get; set; } = "";
    public bool IsDefault { get; set; }
    public string Text { get; set; } = "";
}

public sealed class ExampleDoc
{
    public string Title { get; set; } = "";
    public string Code { get; set; } = "";
    public string Remarks { get; set; } = "";
}

public sealed class ParameterDoc
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Type { get; set; } = "";
    public List<string> Aliases { get; } = new();
    public string DefaultValue { get; set; } = "None";
    public bool Wildcards { get; set; }
    public List<string> AcceptedValues { get; } = new();
    /// <summary>One per group of parameter sets in which the parameter behaves the same (platyPS writes one yaml block each).</summary>
    public List<ParameterUsage> Usages { get; } = new();

    public bool IsSwitch => Type == "SwitchParameter";
    public ParameterUsage? UsageIn(string set) =>
        Usages.FirstOrDefault(u => u.Sets.Contains(set)) ?? Usages.FirstOrDefault(u => u.Sets.Contains("(All)"));
}

public sealed class ParameterUsage
{
    /// <summary>Set names, or "(All)".</summary>
    public List<string> Sets { get; } = new();
    public bool Required { get; set; }
    /// <summary>"Named" or a 0-based number.</summary>
    public string Position { get; set; } = "Named";
    /// <summary>"False", "True (ByValue)", "True (ByPropertyName)", "True (ByValue, ByPropertyName)".</summary>
    public string PipelineInput { get; set; } = "False";
}

public sealed class TypeDoc
{
    public string Type { get; set; } = "";
    public string Description { get; set; } = "";
}
