using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Transport;

namespace HaTools.Core.Stacks.FileServices;

/// <summary>
/// argv of the node-side steps of file services. Each is one POSIX script with positional arguments that prints
/// key=value lines and one status word on its last line; every path is checked before an argv exists, and the
/// transport quotes each element once.
/// </summary>
public static class FileServicesCommands
{
    /// <summary>Where the resource agents are (Debian's resource-agents; every agent file services use is there).</summary>
    public const string AgentDir = "/usr/lib/ocf/resource.d/heartbeat";

    /// <summary>The suffix of a node's own file as it was before file services first replaced it (kept once, put back
    /// by teardown); <c>.none</c> when there was none.</summary>
    public const string OriginalSuffix = ".hatools-orig";

    /// <summary>The file on the shared filesystem that proves a node sees the same filesystem as the first one.</summary>
    public const string SharedCheckFile = ".hatools-shared-check";

    // $1 shared path ('' with a mount), $2 smb 0|1, $3 nfs 0|1, $4 mount 0|1, then folders on the shared filesystem.
    internal const string ProbeScript = @"shared=$1; smb=$2; nfs=$3; mount=$4; shift 4
for b in /usr/sbin/ctdbd /usr/bin/ctdb /usr/sbin/smbd /usr/bin/ganesha.nfsd; do
  if [ -x ""$b"" ]; then echo ""bin.${b##*/}=yes""; else echo ""bin.${b##*/}=no""; fi
done
for a in CTDB anything IPaddr2 Filesystem Delay; do
  if [ -x """ + AgentDir + @"/$a"" ]; then echo ""agent.$a=yes""; else echo ""agent.$a=no""; fi
done
v=no; for f in /usr/lib/*/ganesha/libfsalvfs.so /usr/lib64/ganesha/libfsalvfs.so /usr/lib/ganesha/libfsalvfs.so; do [ -e ""$f"" ] && v=yes; done; echo ""fsal.vfs=$v""
if [ -n ""$shared"" ]; then if [ -d ""$shared"" ]; then echo shared=dir; else echo shared=missing; fi; fi
for d in ""$@""; do if [ -d ""$d"" ]; then echo ""dir.$d=yes""; else echo ""dir.$d=no""; fi; done
if [ -e /etc/ctdb/public_addresses ]; then echo public_addresses=present; fi
if [ -f /etc/ctdb/nodes ]; then echo nodes=present; while IFS= read -r l || [ -n ""$l"" ]; do echo ""nodes.line=$l""; done < /etc/ctdb/nodes; fi
if pidof pacemakerd >/dev/null 2>&1; then echo pacemaker=running; else echo pacemaker=stopped; fi
for p in ctdbd smbd nmbd ganesha.nfsd; do if pidof ""$p"" >/dev/null 2>&1; then echo ""running.$p=yes""; fi; done
echo PROBED
";

    /// <summary>What a node has for file services: binaries, agents, the shared path and the folders on it, its CTDB
    /// nodes file, and daemons already running.</summary>
    public static string[] Probe(string? sharedPath, bool smb, bool nfs, IEnumerable<string> folders) =>
        new[] { "sh", "-c", ProbeScript, "sh", sharedPath == null ? "" : Path(sharedPath), smb ? "1" : "0", nfs ? "1" : "0", sharedPath == null ? "1" : "0" }
            .Concat(folders.Select(Path)).ToArray();

    // $@: the files replaced by the push. The push keeps FILE.hatools-bak (or FILE.hatools-bak.none) of what it replaced;
    // the first time, that is the node's own file, kept once as FILE.hatools-orig (or .none) for teardown.
    internal const string KeepOriginalsScript = @"for f in ""$@""; do
  [ -e ""$f.hatools-orig"" ] || [ -e ""$f.hatools-orig.none"" ] && continue
  if [ -e ""$f.hatools-bak.none"" ]; then : > ""$f.hatools-orig.none""; echo ""kept=$f (none)""
  elif [ -f ""$f.hatools-bak"" ]; then cp -p -- ""$f.hatools-bak"" ""$f.hatools-orig"" && echo ""kept=$f""; fi
done
echo KEPT
";

    /// <summary>After a push: keep the node's own version of every replaced file, the first time only.</summary>
    public static string[] KeepOriginals(IEnumerable<string> files) =>
        new[] { "sh", "-c", KeepOriginalsScript, "sh" }.Concat(files.Select(Path)).ToArray();

    // $1 the folder of the check file, $2.. folders to make when missing. The token comes on stdin.
    // $1 the folder of the check file, then the folders to make, then '--' and the folders that, when made here, are
    // for guests to write (1777: anyone creates, only the owner removes).
    internal const string PrepareScript = @"set -eu
check=$1; shift
open=0
for d in ""$check"" ""$@""; do
  if [ ""$d"" = -- ]; then open=1; continue; fi
  if [ ! -d ""$d"" ]; then
    mkdir -p -- ""$d""
    if [ $open = 1 ]; then chmod 1777 -- ""$d""; echo ""made=$d (1777)""; else echo ""made=$d""; fi
  fi
done
tmp=$(mktemp ""$check/.hatools-shared-check.XXXXXX"")
cat > ""$tmp""
mv -f -- ""$tmp"" ""$check/" + SharedCheckFile + @"""
echo PREPARED
";

    /// <summary>On the first serving node: make the lock folder and the missing share and export folders on the shared
    /// filesystem (the folders of guest-writable shares 1777, when made here), and write a token (stdin) into the check
    /// file there.</summary>
    public static string[] Prepare(string checkFolder, IEnumerable<string> folders, IEnumerable<string>? guestWritable = null) =>
        new[] { "sh", "-c", PrepareScript, "sh", Path(checkFolder) }.Concat(folders.Select(Path))
            .Concat(guestWritable?.Any() == true ? new[] { "--" }.Concat(guestWritable.Select(Path)) : Array.Empty<string>()).ToArray();

    // $1 the folder of the check file. The token comes on stdin.
    internal const string SeesScript = @"f=$1/" + SharedCheckFile + @"
want=$(cat)
if [ ! -f ""$f"" ]; then echo MISSING; elif [ ""$(cat -- ""$f"")"" = ""$want"" ]; then echo SAME; else echo DIFFERENT; fi
";

    /// <summary>On every other serving node: does it see the token the first one wrote? SAME, DIFFERENT or MISSING.</summary>
    public static string[] Sees(string checkFolder) => new[] { "sh", "-c", SeesScript, "sh", Path(checkFolder) };

    /// <summary>Remove the check file again (on the first node).</summary>
    public static string[] RemoveCheck(string checkFolder) => new[] { "rm", "-f", "--", Path(checkFolder) + "/" + SharedCheckFile };

    // $@: the daemons' process names. Whatever still runs after Pacemaker stopped (a daemon started by hand or left by a
    // failed stop): ctdbd is asked to shut down, the others get TERM; after 10 s, KILL.
    internal const string StopLeftoversScript = @"left=''
for p in ""$@""; do pidof ""$p"" >/dev/null 2>&1 && left=""$left $p""; done
[ -n ""$left"" ] || { echo NONE; exit 0; }
echo ""left=$left""
for p in $left; do
  if [ ""$p"" = ctdbd ] && command -v ctdb >/dev/null 2>&1; then ctdb shutdown >/dev/null 2>&1 || kill -TERM $(pidof ctdbd) 2>/dev/null || true
  else kill -TERM $(pidof ""$p"") 2>/dev/null || true; fi
done
i=0; while [ $i -lt 10 ]; do
  alive=''; for p in $left; do pidof ""$p"" >/dev/null 2>&1 && alive=""$alive $p""; done
  [ -n ""$alive"" ] || { echo STOPPED; exit 0; }
  sleep 1; i=$((i+1))
done
for p in $alive; do kill -KILL $(pidof ""$p"") 2>/dev/null || true; done
echo ""killed=$alive""
echo STOPPED
";

    /// <summary>The file-services daemons that run on a node whatever Pacemaker did: stopped.</summary>
    public static string[] StopLeftovers(IEnumerable<string> processes) =>
        new[] { "sh", "-c", StopLeftoversScript, "sh" }.Concat(processes.Select(Process)).ToArray();

    // $1 CTDB's configuration folder, $2 its database folder ('' to keep the databases), then the files. Each file gets
    // back the node's own version (FILE.hatools-orig), or goes when there was none; HaTools' backups of it go too. The
    // CTDB agent's own copies (ctdb.conf.ctdb-ra-orig, script.options.ctdb-ra-orig) go back over what it generated.
    internal const string RestoreScript = @"conf=$1; db=$2; shift 2
for f in ""$@""; do
  if [ -e ""$f.hatools-orig"" ]; then mv -f -- ""$f.hatools-orig"" ""$f""; echo ""restored=$f""
  elif [ -e ""$f.hatools-orig.none"" ]; then rm -f -- ""$f""; echo ""removed=$f""; fi
  rm -f -- ""$f.hatools-orig.none"" ""$f.hatools-bak"" ""$f.hatools-bak.none""
done
for f in ""$conf/ctdb.conf"" ""$conf/script.options""; do
  if [ -f ""$f.ctdb-ra-orig"" ]; then
    if grep -q '# CTDB-RA: Auto-generated' ""$f"" 2>/dev/null; then mv -f -- ""$f.ctdb-ra-orig"" ""$f""; echo ""restored=$f""; else rm -f -- ""$f.ctdb-ra-orig""; fi
  fi
done
if [ -n ""$db"" ]; then
  for d in ""$db/volatile"" ""$db/persistent"" ""$db/state""; do [ -d ""$d"" ] && find ""$d"" -mindepth 1 -delete 2>/dev/null; done
  echo ""cleared=$db""
fi
echo RESTORED
";

    public const string CtdbConfigDir = "/etc/ctdb";
    public const string CtdbDatabaseDir = "/var/lib/ctdb";

    /// <summary>Teardown of the generated files on one node; with <paramref name="ctdbDatabases"/>, CTDB's databases are
    /// emptied too (its volatile, persistent and state folders stay, empty).</summary>
    public static string[] Restore(IEnumerable<string> files, string ctdbConfigDir, string? ctdbDatabases) =>
        new[] { "sh", "-c", RestoreScript, "sh", Path(ctdbConfigDir), ctdbDatabases == null ? "" : Path(ctdbDatabases) }.Concat(files.Select(Path)).ToArray();

    // $1 the lock file, $2 the folder HaTools made for it ('' for none).
    internal const string RemoveLockScript = @"rm -f -- ""$1""
[ -z ""$2"" ] || rmdir -- ""$2"" 2>/dev/null || true
echo REMOVED
";

    /// <summary>Teardown on the shared filesystem (once): CTDB's lock file, and the lock folder when it is empty.</summary>
    public static string[] RemoveLock(string lockFile, string? folder) =>
        new[] { "sh", "-c", RemoveLockScript, "sh", Path(lockFile), folder == null ? "" : Path(folder) };

    // $1 smb 0|1, $2 nfs 0|1. One round trip for the status: CTDB's view from this node (machine form for the nodes, text
    // form for recovery mode and leader), whether smbd and ganesha run, and the addresses on the interfaces.
    internal const string StatusScript = @"smb=$1; nfs=$2
if [ ""$smb"" = 1 ]; then
  if command -v ctdb >/dev/null 2>&1; then
    out=$(ctdb -t 3 -X status 2>&1); echo ""ctdbx.rc=$?""; printf '%s\n' ""$out"" | sed 's/^/ctdbx=/'
    out=$(ctdb -t 3 status 2>&1); echo ""ctdb.rc=$?""; printf '%s\n' ""$out"" | sed 's/^/ctdb=/'
  else echo ctdb.missing=yes; fi
  if pidof smbd >/dev/null 2>&1; then echo smbd=running; else echo smbd=stopped; fi
fi
if [ ""$nfs"" = 1 ]; then if pidof ganesha.nfsd >/dev/null 2>&1; then echo ganesha=running; else echo ganesha=stopped; fi; fi
(ip -o addr show 2>/dev/null || true) | awk '{print ""addr="" $4}'
echo FSSTATUS
";

    /// <summary>A serving node's part of the file-services status.</summary>
    public static string[] Status(bool smb, bool nfs) => new[] { "sh", "-c", StatusScript, "sh", smb ? "1" : "0", nfs ? "1" : "0" };

    /// <summary>Every line KEY=VALUE of a script's output (the last status word is not one).</summary>
    internal static List<KeyValuePair<string, string>> Values(string stdout) =>
        stdout.Replace("\r", "").Split('\n')
            .Select(l => (Line: l, I: l.IndexOf('=')))
            .Where(x => x.I > 0)
            .Select(x => new KeyValuePair<string, string>(x.Line.Substring(0, x.I), x.Line.Substring(x.I + 1)))
            .ToList();

    /// <summary>The status word on the last non-empty line.</summary>
    internal static string Word(string stdout) => stdout.Replace("\r", "").Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";

    private static string Path(string p) => Pacemaker.NodeCommands.Path(p);

    private static string Process(string p)
    {
        if (!Regex.IsMatch(p, @"\A[A-Za-z0-9._-]{1,15}\z"))
            throw new HaException($"unsafe process name '{Names.Printable(p)}'") { Target = p };
        return p;
    }
}
