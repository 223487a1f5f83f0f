using Xunit;

namespace HaTools.Tests.Reliability;

/// <summary>The test classes whose cluster files use address: local nodes for changing verbs: they share this machine's
/// cluster lock root (/var/run/hatools/lock), so xunit must not run them side by side.</summary>
[CollectionDefinition(Name)]
public sealed class LocalNodeLock
{
    public const string Name = "local-node lock";
}
