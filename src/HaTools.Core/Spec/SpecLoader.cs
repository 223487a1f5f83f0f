using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using HaTools.Core.Model;
using HaTools.Core.Spec.Reading;
using HaTools.Core.Spec.Yaml;

namespace HaTools.Core.Spec;

/// <summary>Reads and validates cluster.yaml. Throws <see cref="SpecException"/> carrying every problem found.</summary>
/// <remarks>
/// Problems name the field by a path of YAML keys joined with '.', list items by 0-based index in brackets, and
/// map entries by their key: <c>nodes[1].address</c>, <c>resources[0].ops[1].interval</c>,
/// <c>resources[0].params.ip</c>, <c>constraints.location[2].prefers</c>, <c>properties.no-quorum-policy</c>.
/// Problems about the file as a whole (size, encoding, YAML syntax) name the field <c>(file)</c>.
/// Positions are 1-based line and column of the offending value (or key, for unknown and duplicate keys).
/// </remarks>
public static class SpecLoader
{
    /// <summary>Largest cluster file accepted (1 MiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Read, parse and validate a cluster file. Never contacts a node.</summary>
    public static ClusterSpec Load(string path) => OrThrow(Validate(path));

    /// <summary>Parse and validate YAML text; fileName is used in positions.</summary>
    public static ClusterSpec LoadText(string yaml, string fileName) => OrThrow(ValidateText(yaml, fileName));

    /// <summary>Validate without throwing: every problem (errors and warnings); the spec is null when it could not be built.</summary>
    public static ValidationReport Validate(string path)
    {
        var shown = path ?? "";
        var problems = new ProblemList(shown);
        var text = ReadFile(shown, problems);
        var report = text == null ? Report(null, problems) : Parse(text, problems);
        if (report.Spec != null)
        {
            try { report.Spec.SourceFile = Path.GetFullPath(shown); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is IOException) { report.Spec.SourceFile = shown; }
        }
        return report;
    }

    /// <summary>Validate YAML text without throwing.</summary>
    public static ValidationReport ValidateText(string yaml, string fileName)
    {
        var problems = new ProblemList(fileName ?? "");
        if (yaml == null)
        {
            problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.Empty, "file is empty");
            return Report(null, problems);
        }
        // Measure without encoding the whole text: a huge string is refused before anything else looks at it.
        if (yaml.Length > MaxFileBytes || Encoding.UTF8.GetByteCount(yaml) > MaxFileBytes)
        {
            problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.TooLarge, $"text is more than {MaxFileBytes} bytes; cluster files are limited to 1 MiB");
            return Report(null, problems);
        }
        var nul = yaml.IndexOf('\0');
        if (nul >= 0)
        {
            problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.Binary, $"binary data (NUL character at offset {nul}); a cluster file is UTF-8 text");
            return Report(null, problems);
        }
        return Parse(yaml, problems);
    }

    private static ClusterSpec OrThrow(ValidationReport report)
    {
        var errors = report.Problems.Where(p => p.Severity == Severity.Error).ToList();
        if (errors.Count > 0 || report.Spec == null)
            throw new SpecException(errors);
        return report.Spec;
    }

    private static ValidationReport Parse(string text, ProblemList problems)
    {
        ClusterSpec? spec = null;
        try
        {
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            var root = YamlTreeBuilder.Build(text, problems);
            if (root != null)
                spec = ClusterReader.Read(root, new ReadContext(problems));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours must still come out as a SpecException the module can show, not a stack trace.
            problems.Error(problems.At(0, 0), YamlTreeBuilder.FileField, SpecCodes.Internal, $"internal error while reading the file ({e.GetType().Name}: {e.Message}); please report it");
            spec = null;
        }
        if (spec != null)
            spec.Warnings.AddRange(problems.Items.Where(p => p.Severity == Severity.Warning));
        return Report(spec, problems);
    }

    private static ValidationReport Report(ClusterSpec? spec, ProblemList problems)
    {
        var report = new ValidationReport { Spec = spec };
        // In file order (whole-file problems first); the sort is stable, so same-position problems keep their order.
        report.Problems.AddRange(problems.Items.OrderBy(p => p.Code == SpecCodes.TooManyProblems).ThenBy(p => p.Line).ThenBy(p => p.Column));
        return report;
    }

    /// <summary>The file's text, or null with one problem that names the file (missing, a directory, unreadable,
    /// too large, binary). Reads at most 1 MiB + 1 byte, whatever the file claims its length is.</summary>
    private static string? ReadFile(string path, ProblemList problems)
    {
        var at = problems.At(0, 0);
        const string F = YamlTreeBuilder.FileField;
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Error(at, F, SpecCodes.NoFile, "no cluster file given");
            return null;
        }
        byte[] buffer;
        int length;
        try
        {
            if (Directory.Exists(path))
            {
                problems.Error(at, F, SpecCodes.IsDirectory, "this is a directory, not a cluster file");
                return null;
            }
            if (!File.Exists(path))
            {
                problems.Error(at, F, SpecCodes.NoFile, "file not found");
                return null;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > MaxFileBytes)
            {
                problems.Error(at, F, SpecCodes.TooLarge, $"file is {stream.Length} bytes; cluster files are limited to 1 MiB");
                return null;
            }
            var capacity = stream.CanSeek && stream.Length > 0 ? (int)stream.Length + 1 : 64 * 1024;
            buffer = new byte[Math.Min(capacity, MaxFileBytes + 1)];
            length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > MaxFileBytes) break;
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxFileBytes + 1));
                }
                var n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
            }
            if (length > MaxFileBytes)
            {
                problems.Error(at, F, SpecCodes.TooLarge, "file is more than 1 MiB; cluster files are limited to 1 MiB");
                return null;
            }
        }
        catch (UnauthorizedAccessException)
        {
            problems.Error(at, F, SpecCodes.Unreadable, "permission denied: cannot read the file");
            return null;
        }
        catch (Exception e) when (e is IOException || e is ArgumentException || e is NotSupportedException || e is System.Security.SecurityException)
        {
            problems.Error(at, F, SpecCodes.Unreadable, "cannot read the file: " + Transport.Names.Printable(e.Message));
            return null;
        }

        var nul = Array.IndexOf(buffer, (byte)0, 0, length);
        if (nul >= 0)
        {
            problems.Error(at, F, SpecCodes.Binary, $"binary file (NUL byte at offset {nul}); a cluster file is UTF-8 text");
            return null;
        }
        try
        {
            var skip = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, skip, length - skip);
        }
        catch (DecoderFallbackException e)
        {
            problems.Error(at, F, SpecCodes.Binary, $"file is not UTF-8 text (invalid byte at offset {e.Index})");
            return null;
        }
    }
}

public sealed class ValidationReport
{
    public ClusterSpec? Spec { get; set; }
    public System.Collections.Generic.List<SpecProblem> Problems { get; } = new System.Collections.Generic.List<SpecProblem>();
    public bool IsValid => Spec != null && !Problems.Exists(p => p.Severity == Severity.Error);
}
