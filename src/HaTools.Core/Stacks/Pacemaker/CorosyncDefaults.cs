namespace HaTools.Core.Stacks.Pacemaker;

/// <summary>
/// HaTools' corosync timing and layout defaults, in one place. A value the cluster file gives always wins;
/// everything not listed here is left to corosync's own defaults (and is not written to corosync.conf).
/// </summary>
public static class CorosyncDefaults
{
    /// <summary>
    /// totem.token in ms: how long a node waits for the token before it declares a token loss.
    /// Corosync 3's own default is 3000 ms. HaTools uses 1000 ms, the long-standing corosync 2 default:
    /// safe on a LAN, and with token_coefficient (below) a 3-node cluster has a real token timeout of
    /// 1000 + 650 = 1650 ms, consensus 1.2 × that, so a node loss is detected and fenced/failed over
    /// well under 6 s. Raise it (cluster.yaml corosync.token) on WANs or busy virtual machines.
    /// </summary>
    public const int TokenMs = 1000;

    /// <summary>
    /// totem.token_coefficient in ms: added to token for every node above 2 (only used when a nodelist
    /// exists, which HaTools always writes). 650 ms is corosync's own default, so it is not written.
    /// </summary>
    public const int TokenCoefficientMs = 650;

    /// <summary>
    /// totem.consensus: not written unless the cluster file gives it. Corosync then computes
    /// 1.2 × the real token timeout, which keeps consensus consistent with token (a fixed value
    /// could fall below token and corosync would refuse to start).
    /// </summary>
    public static readonly int? ConsensusMs = null;

    /// <summary>totem.transport: knet (the corosync 3 default; the only transport that encrypts).</summary>
    public const string Transport = "knet";

    /// <summary>knet crypto when the cluster file says crypto: true (authkey in /etc/corosync/authkey).</summary>
    public const string CryptoCipher = "aes256";

    /// <inheritdoc cref="CryptoCipher"/>
    public const string CryptoHash = "sha256";

    /// <summary>logging.logfile.</summary>
    public const string LogFile = "/var/log/corosync/corosync.log";

    // join (50 ms), send_join, merge, downcheck, fail_recv_const, max_messages, knet_* timers:
    // corosync's defaults; HaTools does not write them.
}
