using System;
using HaTools.Core.Model;

namespace HaTools.Core.Transport;

/// <summary>
/// The one place that reads the OpenSSH client's wording. ssh says why it failed only in text on stderr (with exit
/// 255, which a remote command may also use), so the text is turned into a <see cref="FailureKind"/> here, at the
/// boundary, and nothing above the transport looks at it again.
/// </summary>
public static class OpenSshFailures
{
    private static readonly string[] HostKey =
    {
        "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED", "No ED25519 host key is known",
        "host key is known for", "No matching host key",
    };

    // ssh's own wording ("Permission denied (publickey,password).", "Permission denied, please try again.",
    // "Too many authentication failures"); a bare "Permission denied" is what remote programs print.
    private static readonly string[] Auth = { "Permission denied (", "Permission denied, please try again", "Too many authentication failures" };

    private static readonly string[] Network =
    {
        "ssh: connect to host", "Connection refused", "Connection timed out", "No route to host", "Could not resolve hostname",
        "kex_exchange_identification", "Connection closed by", "closed by remote host", "Connection reset by", "banner exchange",
        "Network is unreachable", "port 22: Operation timed out", "Control socket connect", "mux_client", "too long for Unix domain socket",
    };

    /// <summary>What the ssh client's stderr says went wrong; None when it names no ssh failure (the remote command's
    /// own exit 255, or no text at all).</summary>
    public static FailureKind KindOf(string stderr)
    {
        if (Contains(stderr, HostKey)) return FailureKind.HostKeyRefused;
        if (Contains(stderr, Auth)) return FailureKind.AuthFailed;
        if (Contains(stderr, Network)) return FailureKind.Unreachable;
        return FailureKind.None;
    }

    /// <summary>For a result or exception whose runner set no kind (a runner from before <see cref="FailureKind"/>, or
    /// a third-party one): the kind read from its text, and only when ssh itself failed (it said it could not reach
    /// the node, or exit 255) so that a remote program printing "Permission denied" is not taken for a login failure.</summary>
    public static FailureKind Untyped(bool unreachable, int exitCode, string text)
    {
        if (!unreachable && exitCode != 255) return FailureKind.None;
        var k = KindOf(text);
        return k == FailureKind.None && unreachable ? FailureKind.Unreachable : k;
    }

    /// <summary>The message for a kind read from ssh's stderr.</summary>
    internal static string Describe(FailureKind kind, string stderr) => kind switch
    {
        FailureKind.HostKeyRefused => "host key verification failed (unknown or changed host key)",
        FailureKind.AuthFailed => "authentication failed (permission denied)",
        _ => "unreachable: " + LastLine(stderr),
    };

    private static bool Contains(string text, string[] needles)
    {
        foreach (var n in needles)
            if (text.IndexOf(n, StringComparison.OrdinalIgnoreCase) >= 0) return true;
        return false;
    }

    private static string LastLine(string s)
    {
        var lines = s.Trim().Split('\n');
        return lines[lines.Length - 1].Trim();
    }
}
