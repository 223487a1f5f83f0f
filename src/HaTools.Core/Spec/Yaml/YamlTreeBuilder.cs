using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HaTools.Core.Spec.Yaml;

/// <summary>Builds a <see cref="YNode"/> tree from YamlDotNet's parser events, refusing what a cluster file never
/// needs and what makes hostile input expensive: anchors and aliases (no expansion, so no "billion laughs"),
/// nesting deeper than <see cref="MaxDepth"/>, more than <see cref="MaxNodes"/> nodes, several documents,
/// complex keys. Duplicate keys are reported at the second key. Never throws: problems go to the list.</summary>
internal static class YamlTreeBuilder
{
    public const int MaxDepth = 32;
    public const int MaxNodes = 10000;

    private sealed class Frame
    {
        public Frame(YNode node, string path) { Node = node; Path = path; }
        public YNode Node { get; }
        public string Path { get; }
        public YScalar? PendingKey;
        public bool DiscardValue;
        public Dictionary<string, YScalar>? Keys;
    }

    /// <summary>The document's root node, or null when the text could not be read into a tree
    /// (the reason is in <paramref name="problems"/>).</summary>
    public static YNode? Build(string text, ProblemList problems)
    {
        if (!CheckTabs(text, problems)) return null;

        var parser = new Parser(new StringReader(text));
        var stack = new List<Frame>();
        YNode? root = null;
        var documents = 0;
        var count = 0;
        var lastLine = 1;
        var lastCol = 1;
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                lastLine = (int)ev.End.Line;
                lastCol = (int)ev.End.Column;
                var line = (int)ev.Start.Line;
                var col = (int)ev.Start.Column;
                var path = stack.Count == 0 ? FileField : NextPath(stack[stack.Count - 1]);
                switch (ev)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            problems.Error(problems.At(line, col), FileField, SpecCodes.MultipleDocuments,
                                "the file holds more than one YAML document; a cluster file is one document (remove the '---' separator)");
                            return null;
                        }
                        continue;
                    case AnchorAlias:
                        problems.Error(problems.At(line, col), path, SpecCodes.Alias, "anchors and aliases are not supported (write the value out)");
                        return null;
                    case NodeEvent ne when !ne.Anchor.IsEmpty:
                        problems.Error(problems.At(line, col), path, SpecCodes.Alias, "anchors and aliases are not supported (write the value out)");
                        return null;
                    case NodeEvent ne when !ne.Tag.IsEmpty && !ne.Tag.IsNonSpecific:
                        problems.Error(problems.At(line, col), path, SpecCodes.Tag, $"YAML tags ('{Transport.Names.Printable(ne.Tag.Value)}') are not supported");
                        return null;
                }

                YNode? node = null;
                switch (ev)
                {
                    case Scalar s:
                        node = new YScalar(s.Value, s.Style == ScalarStyle.Plain, line, col);
                        break;
                    case MappingStart:
                        node = new YMap(line, col);
                        break;
                    case SequenceStart:
                        node = new YSeq(line, col);
                        break;
                    case MappingEnd:
                    case SequenceEnd:
                        stack.RemoveAt(stack.Count - 1);
                        continue;
                    default:
                        continue;
                }

                if (++count > MaxNodes)
                {
                    problems.Error(problems.At(line, col), path, SpecCodes.TooManyNodes, $"the file has more than {MaxNodes} YAML nodes; cluster files are limited to {MaxNodes}");
                    return null;
                }

                if (stack.Count == 0)
                    root = node;
                else if (!Attach(stack[stack.Count - 1], node, problems))
                    return null;

                if (node is YScalar) continue;
                if (stack.Count >= MaxDepth)
                {
                    problems.Error(problems.At(line, col), path, SpecCodes.TooDeep, $"nesting is deeper than {MaxDepth} levels");
                    return null;
                }
                stack.Add(new Frame(node, stack.Count == 0 ? "" : path));
            }
        }
        catch (YamlException ex)
        {
            problems.Error(problems.At((int)ex.Start.Line, (int)ex.Start.Column), FileField, SpecCodes.Syntax, "YAML syntax error: " + CleanMessage(ex.Message));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is IndexOutOfRangeException || ex is FormatException || ex is OverflowException)
        {
            // YamlDotNet's scanner throws these on a few malformed inputs instead of a YamlException.
            problems.Error(problems.At(lastLine, lastCol), FileField, SpecCodes.Syntax, "YAML syntax error after this point: the text cannot be read as YAML");
            return null;
        }

        if (root == null || (root is YScalar s0 && s0.IsNull))
        {
            problems.Error(problems.At(0, 0), FileField, SpecCodes.Empty, "file is empty (no cluster description, only comments or blanks)");
            return null;
        }
        return root;
    }

    /// <summary>The field named in problems that concern the file as a whole.</summary>
    public const string FileField = "(file)";

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>Path of the node the parser is about to deliver into this container.</summary>
    private static string NextPath(Frame frame) => frame.Node switch
    {
        YSeq seq => $"{frame.Path}[{seq.Items.Count}]",
        _ => frame.PendingKey == null ? frame.Path : Join(frame.Path, Transport.Names.Printable(frame.PendingKey.Value)),
    };

    private static bool Attach(Frame frame, YNode node, ProblemList problems)
    {
        if (frame.Node is YSeq seq)
        {
            seq.Items.Add(node);
            return true;
        }

        var map = (YMap)frame.Node;
        if (frame.PendingKey == null)
        {
            if (node is not YScalar key)
            {
                problems.Error(problems.At(node.Line, node.Column), frame.Path.Length == 0 && frame.PendingKey == null ? FileField : NextPath(frame), SpecCodes.Syntax, "a mapping key must be a plain string, not " + node.Kind);
                return false;
            }
            frame.Keys ??= new Dictionary<string, YScalar>();
            if (key.IsNull)
            {
                problems.Error(problems.At(key.Line, key.Column), frame.Path.Length == 0 ? FileField : frame.Path, SpecCodes.Syntax, "a key is empty");
                frame.DiscardValue = true;
            }
            else if (frame.Keys.TryGetValue(key.Value, out var first))
            {
                problems.Error(problems.At(key.Line, key.Column), Join(frame.Path, key.Value), SpecCodes.DuplicateKey,
                    $"duplicate key '{Transport.Names.Printable(key.Value)}' (first at line {first.Line})");
                frame.DiscardValue = true;
            }
            else
            {
                frame.Keys.Add(key.Value, key);
                frame.DiscardValue = false;
            }
            frame.PendingKey = key;
            return true;
        }

        if (!frame.DiscardValue)
            map.Entries.Add(new KeyValuePair<YScalar, YNode>(frame.PendingKey, node));
        frame.PendingKey = null;
        return true;
    }

    /// <summary>Tabs are not YAML indentation; YamlDotNet's own message for them is obscure, so say it plainly.</summary>
    private static bool CheckTabs(string text, ProblemList problems)
    {
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var tabAt = -1;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
            {
                if (text[i] == '\t' && tabAt < 0) tabAt = i;
                i++;
            }
            var content = i < text.Length && text[i] != '\n' && text[i] != '\r' && text[i] != '#';
            if (tabAt >= 0 && content)
            {
                problems.Error(problems.At(line, tabAt - start + 1), FileField, SpecCodes.Tab, "tab character used for indentation; indent with spaces");
                return false;
            }
            while (i < text.Length && text[i] != '\n') i++;
            i++;
            line++;
        }
        return true;
    }

    private static string CleanMessage(string m)
    {
        // YamlDotNet messages sometimes start with "(Line: 1, Col: 2, Idx: 3) - (…): "; the position is reported separately.
        var k = m.IndexOf("): ", System.StringComparison.Ordinal);
        if (m.StartsWith("(Line:", System.StringComparison.Ordinal) && k > 0) m = m.Substring(k + 3);
        return Transport.Names.Printable(m.Trim());
    }
}
