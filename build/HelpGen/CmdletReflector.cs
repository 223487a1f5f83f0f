using System.Reflection;
using System.Runtime.InteropServices;

namespace HaTools.HelpGen;

/// <summary>What a compiled cmdlet declares, read with MetadataLoadContext (the assembly is never executed).</summary>
public sealed class CmdletInfo
{
    public string TypeName { get; set; } = "";
    public string ClassName { get; set; } = "";
    public string Verb { get; set; } = "";
    public string Noun { get; set; } = "";
    public string Name => Verb + "-" + Noun;
    public bool SupportsShouldProcess { get; set; }
    /// <summary>None, Low, Medium (the default), High.</summary>
    public string ConfirmImpact { get; set; } = "Medium";
    public string? DefaultParameterSetName { get; set; }
    /// <summary>Full names of the [OutputType] types (or the strings given).</summary>
    public List<string> OutputTypes { get; } = new();
    public List<ParameterDoc> Parameters { get; } = new();
    public List<string> ParameterSets { get; } = new();
}

public static class CmdletReflector
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>Folder of the PowerShellStandard.Library reference assembly in the NuGet cache.</summary>
    public static string PowerShellReferenceFolder()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "powershellstandard.library", "5.1.0-preview-06", "lib", "netstandard2.0");
    }

    /// <summary>A load context that resolves the module folder, the PowerShell reference assembly and the runtime.</summary>
    public static MetadataLoadContext CreateContext(string moduleFolder)
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")) paths[Path.GetFileName(f)] = f;
        foreach (var f in Directory.GetFiles(PowerShellReferenceFolder(), "*.dll")) paths[Path.GetFileName(f)] = f;
        foreach (var f in Directory.GetFiles(moduleFolder, "*.dll", SearchOption.AllDirectories)) paths[Path.GetFileName(f)] = f;
        return new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Private.CoreLib");
    }

    public static List<CmdletInfo> Read(string moduleDll)
    {
        using var context = CreateContext(Path.GetDirectoryName(Path.GetFullPath(moduleDll))!);
        return Read(context.LoadFromAssemblyPath(Path.GetFullPath(moduleDll)));
    }

    public static List<CmdletInfo> Read(Assembly assembly)
    {
        var result = new List<CmdletInfo>();
        foreach (var type in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
            if (cmdlet == null) continue;
            var info = new CmdletInfo
            {
                TypeName = type.FullName ?? type.Name,
                ClassName = type.Name,
                Verb = (string)cmdlet.ConstructorArguments[0].Value!,
                Noun = (string)cmdlet.ConstructorArguments[1].Value!,
            };
            foreach (var named in cmdlet.NamedArguments)
            {
                switch (named.MemberName)
                {
                    case "SupportsShouldProcess": info.SupportsShouldProcess = (bool)named.TypedValue.Value!; break;
                    case "ConfirmImpact": info.ConfirmImpact = new[] { "None", "Low", "Medium", "High" }[(int)named.TypedValue.Value!]; break;
                    case "DefaultParameterSetName": info.DefaultParameterSetName = (string?)named.TypedValue.Value; break;
                }
            }
            foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute"))
                foreach (var arg in output.ConstructorArguments)
                    foreach (var item in (IEnumerable<CustomAttributeTypedArgument>)arg.Value!)
                        info.OutputTypes.Add(item.Value is Type t ? t.FullName! : (string)item.Value!);
            ReadParameters(type, info);
            result.Add(info);
        }
        return result;
    }

    private static void ReadParameters(Type type, CmdletInfo info)
    {
        var properties = new List<PropertyInfo>();
        for (var t = type; t != null && t.FullName != "System.Object"; t = t.BaseType)
            properties.InsertRange(0, t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        foreach (var property in properties)
        {
            var attributes = property.GetCustomAttributesData();
            var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
            if (parameterAttributes.Count == 0) continue;
            var doc = new ParameterDoc { Name = property.Name, Type = TypeName(property.PropertyType) };
            foreach (var a in attributes)
            {
                switch (a.AttributeType.FullName)
                {
                    case "System.Management.Automation.AliasAttribute":
                        foreach (var v in (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!) doc.Aliases.Add((string)v.Value!);
                        break;
                    case "System.Management.Automation.SupportsWildcardsAttribute":
                        doc.Wildcards = true;
                        break;
                    case "System.Management.Automation.ValidateSetAttribute":
                        foreach (var v in (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!) doc.AcceptedValues.Add((string)v.Value!);
                        break;
                }
            }
            var enumType = UnderlyingNullable(property.PropertyType) ?? property.PropertyType;
            if (enumType.IsArray) enumType = enumType.GetElementType()!;
            if (enumType.IsEnum) doc.AcceptedValues.AddRange(enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));
            foreach (var p in parameterAttributes)
            {
                string set = AllSets, position = "Named", pipeline = "False";
                bool mandatory = false, byValue = false, byName = false;
                foreach (var named in p.NamedArguments)
                {
                    switch (named.MemberName)
                    {
                        case "Mandatory": mandatory = (bool)named.TypedValue.Value!; break;
                        case "Position": position = ((int)named.TypedValue.Value!).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
                        case "ParameterSetName": set = (string)named.TypedValue.Value!; break;
                        case "ValueFromPipeline": byValue = (bool)named.TypedValue.Value!; break;
                        case "ValueFromPipelineByPropertyName": byName = (bool)named.TypedValue.Value!; break;
                    }
                }
                if (byValue || byName) pipeline = "True (" + string.Join(", ", new[] { byValue ? "ByValue" : null, byName ? "ByPropertyName" : null }.Where(x => x != null)) + ")";
                var setName = set == AllSets ? "(All)" : set;
                if (set != AllSets && !info.ParameterSets.Contains(set)) info.ParameterSets.Add(set);
                var same = doc.Usages.FirstOrDefault(u => u.Required == mandatory && u.Position == position && u.PipelineInput == pipeline);
                if (same != null) same.Sets.Add(setName);
                else
                {
                    var usage = new ParameterUsage { Required = mandatory, Position = position, PipelineInput = pipeline };
                    usage.Sets.Add(setName);
                    doc.Usages.Add(usage);
                }
            }
            info.Parameters.Add(doc);
        }
        if (info.ParameterSets.Count == 0) info.ParameterSets.Add(AllSets);
    }

    // Nullable.GetUnderlyingType compares with the runtime's typeof(Nullable<>), which a MetadataLoadContext type never is.
    private static Type? UnderlyingNullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : null;

    /// <summary>The short name platyPS shows: String, String[], Int32, SwitchParameter, Hashtable[], ClusterContext.</summary>
    public static string TypeName(Type type)
    {
        var underlying = UnderlyingNullable(type);
        if (underlying != null) return TypeName(underlying);
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        return type.Name;
    }
}
