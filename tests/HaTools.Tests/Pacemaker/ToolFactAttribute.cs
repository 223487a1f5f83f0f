using System.Linq;
using Xunit;

namespace HaTools.Tests.Pacemaker;

/// <summary>A fact that is skipped, with the reason shown, when a real Pacemaker/corosync tool is not installed.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => Fixtures.Tool(t) == null).ToArray();
        if (missing.Length > 0)
            Skip = $"{string.Join(", ", missing)} not installed (apt-get install pacemaker-cli-utils corosync): real-tool validation skipped";
    }
}
