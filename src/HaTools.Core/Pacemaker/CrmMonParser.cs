using System;
using HaTools.Core.Model;

namespace HaTools.Core.Pacemaker;

// STUB added by the module branch so Get-HaStatus -FromFile compiles; the Pacemaker branch owns the real parser.
// Drop this file at merge in favour of the real one.
public static class CrmMonParser
{
    public static ClusterStatus Parse(string xml) => throw new NotImplementedException();
}
