using System;
using HaTools.Core.Model;

namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>A Pacemaker tool's output could not be understood (not XML, wrong document, or an error status).</summary>
public sealed class PacemakerOutputException : HaException
{
    public PacemakerOutputException(string message, Exception? inner = null, int? statusCode = null) : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The &lt;status code&gt; the tool reported (crm_exit_t, e.g. 102 = not connected), when there was one.</summary>
    public int? StatusCode { get; }
}
