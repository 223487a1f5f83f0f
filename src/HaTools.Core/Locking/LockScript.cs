using System;
using System.Collections.Generic;
using System.Globalization;

namespace HaTools.Core.Locking;

/// <summary>
/// The node side of the cluster lock: one POSIX sh script (Linux and FreeBSD alike, no flock needed), run as
/// <c>sh -c SCRIPT sh ACTION ROOT TOKEN LEASE [HOST PID OPERATION STARTED [STALE-TOKEN]]</c>. It prints the holder
/// as key=value lines (when there is one) and one status word on its last line.
/// </summary>
/// <remarks>
/// Layout under ROOT (0700, created by the script, so it exists before anything else on a bare node):
/// <c>held/</c> is the lock (mkdir is atomic on every POSIX filesystem), <c>held/holder</c> says who,
/// <c>held/renewed</c> holds the node's clock (epoch seconds) at the last take or renewal. <c>guard/</c> is a
/// mutex held only for the few file operations of one call, so that "look, then take or break" is atomic per node;
/// a guard left by a killed call is broken after 10 s of the node's own clock.
/// The lease is judged on each node's own clock only (renewed vs now, both written by the node), so admin hosts
/// with skewed clocks agree on staleness.
/// </remarks>
internal static class LockScript
{
    // Few processes on purpose (read and printf are builtins): each fork costs on a loaded node, and a change pays
    // for two calls per node.
    internal const string Script = @"set -u
a=$1 r=$2 t=$3 lease=$4
umask 077
g=$r/guard d=$r/held
[ -d ""$r"" ] || { mkdir -p ""$r"" && chmod 0700 ""$r""; } || { echo ""cannot create $r"" >&2; echo FAILED; exit 1; }
i=0
until mkdir ""$g"" 2>/dev/null; do
  m=$(stat -c %Y ""$g"" 2>/dev/null || stat -f %m ""$g"" 2>/dev/null) || m=0
  if [ $(($(date +%s) - ${m:-0})) -gt 10 ]; then rmdir ""$g"" 2>/dev/null; continue; fi
  i=$((i + 1))
  if [ $i -gt 60 ]; then echo RETRY; exit 0; fi
  sleep 0.05 2>/dev/null || sleep 1
done
trap 'rmdir ""$g"" 2>/dev/null' EXIT
trap 'exit 1' HUP INT TERM
ot= rn=0 now=0
[ -r ""$d/holder"" ] && IFS= read -r ot < ""$d/holder""
ot=${ot#token=}
[ -r ""$d/renewed"" ] && read -r rn < ""$d/renewed""
case $rn in ''|*[!0-9]*) rn=0 ;; esac
case $a in acquire|renew) now=$(date +%s) ;; esac
age=$((now - rn))
show() { [ -r ""$d/holder"" ] && while IFS= read -r l; do printf '%s\n' ""$l""; done < ""$d/holder""; [ ""$now"" = 0 ] || printf 'age=%s\n' ""$age""; }
take() {
  mkdir ""$d"" && printf 'token=%s\nhost=%s\npid=%s\nop=%s\nstarted=%s\n' ""$t"" ""$5"" ""$6"" ""$7"" ""$8"" > ""$d/holder"" &&
    printf '%s\n' ""$now"" > ""$d/renewed"" || { rm -rf ""$d""; echo FAILED; exit 1; }
}
case $a in
acquire)
  if [ ! -d ""$d"" ]; then take ""$@""; echo ACQUIRED
  elif [ ""$ot"" = ""$t"" ]; then printf '%s\n' ""$now"" > ""$d/renewed""; echo ACQUIRED
  elif [ ""$age"" -gt ""$lease"" ] || { [ -n ""${9:-}"" ] && [ ""$ot"" = ""${9:-}"" ]; }; then
    show; rm -rf ""$d""; take ""$@""; echo STALE
  else show; echo BUSY
  fi ;;
renew)
  if [ -d ""$d"" ] && [ ""$ot"" = ""$t"" ]; then printf '%s\n' ""$now"" > ""$d/renewed""; echo RENEWED
  else show; echo LOST
  fi ;;
release)
  if [ ! -d ""$d"" ]; then echo NOT-HELD
  elif [ ""$ot"" = ""$t"" ]; then rm -rf ""$d""; echo RELEASED
  else show; echo NOT-OURS
  fi ;;
*) echo ""unknown action $a"" >&2; echo FAILED; exit 2 ;;
esac
";

    public static string[] Acquire(string root, string token, TimeSpan lease, LockHolder me, string? staleToken) =>
        new[] { "sh", "-c", Script, "sh", "acquire", root, token, Seconds(lease), me.Host, me.Pid.ToString(CultureInfo.InvariantCulture),
            me.Operation, me.Started, staleToken ?? "" };

    public static string[] Renew(string root, string token, TimeSpan lease) =>
        new[] { "sh", "-c", Script, "sh", "renew", root, token, Seconds(lease) };

    public static string[] Release(string root, string token, TimeSpan lease) =>
        new[] { "sh", "-c", Script, "sh", "release", root, token, Seconds(lease) };

    private static string Seconds(TimeSpan t) => ((long)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The status word (last line) and the holder the script showed, if any.</summary>
    public static (string Status, LockHolder? Holder) Parse(string node, string stdout)
    {
        var lines = stdout.Replace("\r", "").Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return ("", null);
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var eq = lines[i].IndexOf('=');
            if (eq > 0) kv[lines[i].Substring(0, eq)] = lines[i].Substring(eq + 1);
        }
        LockHolder? holder = null;
        if (kv.Count > 0)
            holder = new LockHolder
            {
                Node = node,
                Token = Get(kv, "token"),
                Host = Get(kv, "host"),
                Pid = int.TryParse(Get(kv, "pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0,
                Operation = Get(kv, "op"),
                Started = Get(kv, "started"),
                AgeSeconds = long.TryParse(Get(kv, "age"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var age) ? age : -1,
            };
        return (lines[lines.Length - 1].Trim(), holder);
    }

    private static string Get(Dictionary<string, string> kv, string key) => kv.TryGetValue(key, out var v) ? v : "";
}
