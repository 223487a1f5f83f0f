using System;
using System.Collections;
using System.Collections.Generic;
using HaTools.Core.Spec;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>The module's door to Core's input converters (HaTools.Core.Input, shared with hatools); throws
/// ArgumentException (→ ArgumentInvalid) on bad input.</summary>
internal static class InputConverters
{
    public static IReadOnlyList<NodeSpec> Nodes(IReadOnlyList<string> nodes, IReadOnlyList<string>? addresses, Func<string, string> invalid, Func<int, int, string> countMismatch) =>
        HaTools.Core.Input.InputConverters.Nodes(nodes, addresses, invalid, countMismatch);

    public static void CopyTo(IDictionary? table, IDictionary<string, string> target, string parameterName, Func<string, string, string> nullValue) =>
        HaTools.Core.Input.InputConverters.CopyTo(table, target, parameterName, nullValue);

    public static OperationSpec Operation(IDictionary table, int index, Func<int, string, string> invalid, Func<string, string> unknownKey) =>
        HaTools.Core.Input.InputConverters.Operation(table, index, invalid, unknownKey);
}
