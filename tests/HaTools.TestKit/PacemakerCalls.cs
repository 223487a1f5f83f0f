namespace HaTools.TestKit;

/// <summary>The exact argv of Pacemaker's steps as the nodes must receive them, written out here once (not derived
/// from the production builders, so a changed command fails the tests that expect it).</summary>
public static class PacemakerCalls
{
    public static string[] CrmMon => new[] { "crm_mon", "--one-shot", "--inactive", "--output-as=xml" };
}
