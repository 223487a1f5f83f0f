using Xunit;

namespace HaTools.LabTests;

/// <summary>All lab tests share one lab and never run in parallel.</summary>
[CollectionDefinition("lab", DisableParallelization = true)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
}

/// <summary>Brings the 3-node lab up once for the "lab" collection.</summary>
public sealed class LabFixture
{
    public LabFixture()
    {
        if (Lab.Enabled)
        {
            Lab.EnsureUp(3);
        }
    }
}

/// <summary>A fact that runs only as root with HATOOLS_LAB=1 (CI sets it).</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (!Lab.Enabled)
        {
            Skip = Lab.SkipReason;
        }
    }
}
