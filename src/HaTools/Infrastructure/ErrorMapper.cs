using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaTools.Core.Model;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>Builds ErrorRecords from the decisions of <see cref="ErrorClassifier"/>. The only place that says <c>new ErrorRecord</c>.</summary>
internal static class ErrorMapper
{
    /// <summary>One record per failure; a <see cref="SpecException"/> gives one record per problem (message <c>file:line:col: field: message</c>).</summary>
    public static IReadOnlyList<ErrorRecord> ToErrorRecords(Exception exception, object? target = null, string? objectKind = null)
    {
        while (exception is AggregateException a && a.InnerExceptions.Count == 1) exception = a.InnerExceptions[0];
        var cls = ErrorClassifier.Classify(exception, objectKind);
        if (exception is SpecException spec && spec.Problems.Count > 0)
        {
            var records = new List<ErrorRecord>();
            foreach (var problem in spec.Problems)
            {
                if (problem.Severity != Severity.Error) continue;
                records.Add(Create(exception, cls, problem.File, problem.ToString()));
            }
            if (records.Count == 0) records.Add(Create(exception, cls, spec.Target ?? target, null));
            return records;
        }
        var haTarget = (exception as HaException)?.Target;
        return new[] { Create(exception, cls, (object?)haTarget ?? target, null) };
    }

    public static ErrorRecord Create(Exception exception, ErrorClass cls, object? target, string? message)
    {
        var record = new ErrorRecord(exception, cls.ErrorId, Category(cls.Category), target);
        if (message != null) record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    /// <summary>An error that is not an exception from Core (a failed node in a result list, bad input found by the module).</summary>
    public static ErrorRecord Create(ErrorClass cls, string message, object? target) =>
        Create(new HaException(message) { Target = target as string }, cls, target, null);

    private static ErrorCategory Category(string name) =>
        Enum.TryParse<ErrorCategory>(name, out var c) ? c : ErrorCategory.NotSpecified;
}
