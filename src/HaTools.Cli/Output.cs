using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HaTools.Core;
using HaTools.Core.Model;

namespace HaTools.Cli;

/// <summary>Prints Core objects as a table (the same columns as the PowerShell default views) or as JSON
/// whose property names are the output types' own.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(), new TimeSpanSecondsConverter() },
    };

    private static readonly Dictionary<Type, string[]> Columns = new Dictionary<Type, string[]>
    {
        [typeof(CommandResult)] = new[] { "Node", "ExitCode", "Succeeded", "TimedOut", "Duration", "StdOut", "Error" },
        [typeof(FilePushResult)] = new[] { "Node", "Destination", "Status", "Backup", "Error" },
        [typeof(CheckResult)] = new[] { "Node", "Check", "Severity", "Message" },
        [typeof(PhaseResult)] = new[] { "Phase", "Node", "Status", "Duration", "Message" },
        [typeof(NodeStatus)] = new[] { "Name", "Online", "Standby", "Maintenance", "Unclean", "IsDc", "ResourceCount" },
        [typeof(ResourceStatus)] = new[] { "Name", "Role", "Node", "Agent", "Group", "Clone", "Managed", "Failed", "FailCount" },
        [typeof(ResourceActionResult)] = new[] { "Resource", "Action", "Changed", "Node", "Role", "Duration", "Message" },
        [typeof(NodeActionResult)] = new[] { "Node", "Action", "Changed", "Standby", "ResourceCount", "Duration" },
        [typeof(ClusterProperty)] = new[] { "Section", "Name", "Value" },
        [typeof(ConstraintInfo)] = new[] { "Id", "Type", "Resource", "Target", "Score", "Kind", "FromMove", "Expires" },
        [typeof(PlanStep)] = new[] { "Phase", "Node", "Description" },
        [typeof(Core.Stacks.FileServices.FileServiceNodeStatus)] = new[] { "Node", "Reachable", "Ctdb", "Smbd", "Ganesha", "Addresses" },
        [typeof(Core.Stacks.FileServices.FileServiceShareStatus)] = new[] { "Protocol", "Name", "Path", "ServedOn", "Addresses" },
        [typeof(SpecProblem)] = new[] { "Severity", "File", "Line", "Column", "Field", "Message" },
    };

    public static void Write<T>(IEnumerable<T> items, bool json)
    {
        var list = items.ToList();
        if (json) { Console.Out.WriteLine(JsonSerializer.Serialize(list, Json)); return; }
        Table(list.Cast<object>().ToList(), typeof(T));
    }

    /// <summary>--json: the failure as one JSON object on stderr (stdout stays the results' document), with the
    /// module's ErrorId and category from the same table; returns the exit code of its category.</summary>
    public static int WriteError(Exception e)
    {
        var code = ErrorCodes.Classify(e);
        var error = new JsonError
        {
            ErrorId = code.ErrorId,
            Category = code.Category,
            Target = (e as HaException)?.Target,
            Message = e is OperationCanceledException ? "cancelled" : e.Message,
            Problems = (e as SpecException)?.Problems.Select(p => p.ToString()).ToList(),
        };
        Console.Error.WriteLine(JsonSerializer.Serialize(error, ErrorJson));
        return ErrorCodes.ExitCode(code);
    }

    private static readonly JsonSerializerOptions ErrorJson = new JsonSerializerOptions(Json)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private sealed class JsonError
    {
        public string ErrorId { get; set; } = "";
        public string Category { get; set; } = "";
        public string? Target { get; set; }
        public string Message { get; set; } = "";
        /// <summary>An invalid cluster file: every problem as file:line:col: field: message.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public List<string>? Problems { get; set; }
    }

    public static void WriteStatus(ClusterStatus s, bool json)
    {
        if (json) { Console.Out.WriteLine(JsonSerializer.Serialize(s, Json)); return; }
        var online = s.Nodes.Count(n => n.Online);
        var started = s.Resources.Count(r => r.Node != null);
        Console.Out.WriteLine($"Cluster {s.Name} ({s.Stack}): DC {s.Dc ?? "none"}, {(s.Quorate ? "quorate" : "NO QUORUM")}, " +
            $"{online}/{s.Nodes.Count} nodes online, {started}/{s.Resources.Count} resources running (asked {s.QueriedNode})");
        Console.Out.WriteLine();
        Table(s.Nodes.Cast<object>().ToList(), typeof(NodeStatus));
        Console.Out.WriteLine();
        Table(s.Resources.Cast<object>().ToList(), typeof(ResourceStatus));
        if (s.Details is Core.Stacks.Pacemaker.PacemakerStatusDetails { FileServices: { } fs })
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"File services: CTDB {fs.CtdbRecoveryMode ?? "-"}, leader {fs.CtdbLeader ?? "-"}");
            Table(fs.Nodes.Cast<object>().ToList(), typeof(Core.Stacks.FileServices.FileServiceNodeStatus));
            Console.Out.WriteLine();
            Table(fs.Shares.Cast<object>().ToList(), typeof(Core.Stacks.FileServices.FileServiceShareStatus));
        }
        foreach (var u in s.UnreachableNodes) Console.Out.WriteLine($"Unreachable: {u}");
        foreach (var w in s.Warnings) Console.Out.WriteLine($"Warning: {w}");
    }

    private static void Table(IReadOnlyList<object> rows, Type type)
    {
        var cols = Columns.TryGetValue(type, out var c) ? c : type.GetProperties().Select(p => p.Name).ToArray();
        var props = cols.Select(n => type.GetProperty(n)).Where(p => p != null).Cast<PropertyInfo>().ToArray();
        var cells = rows.Select(r => props.Select(p => Cell(p.GetValue(r))).ToArray()).ToList();
        var widths = props.Select((p, i) => Math.Min(60, Math.Max(p.Name.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", props.Select((p, i) => p.Name.PadRight(widths[i]))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))).TrimEnd());
        foreach (var r in cells)
            sb.AppendLine(string.Join("  ", r.Select((v, i) => (v.Length > widths[i] ? v.Substring(0, widths[i] - 1) + "…" : v).PadRight(widths[i]))).TrimEnd());
        Console.Out.Write(sb.ToString());
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        TimeSpan t => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
        string s => s.Replace("\r", "").Split('\n')[0],
        bool b => b ? "True" : "False",
        IEnumerable e when v is not string => string.Join(",", e.Cast<object>()),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private sealed class TimeSpanSecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));
    }
}
