using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HaTools.Core.Spec;
using HaTools.Core.Transport;
using HaTools.Transport.SshNet;
using Xunit;

namespace HaTools.Tests.SshNet;

/// <summary>OpenSSH's known_hosts format as the sshnet runner reads it, against lines written and hashed by OpenSSH's
/// ssh-keygen (tests/fixtures/sshnet, how they were made in its README).</summary>
public class KnownHostsFileTests
{
    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "fixtures", "sshnet", name);

    /// <summary>The key blob of a .pub file: what a node sends in the handshake.</summary>
    internal static byte[] Key(string pub) => Convert.FromBase64String(File.ReadAllText(Fixture(pub)).Split(' ')[1]);

    private static readonly KnownHostsFile File_ = KnownHostsFile.Parse(File.ReadAllText(Fixture("known_hosts")));

    [Fact]
    public void Plain_lines_match_by_each_name_and_several_keys_per_host_all_count()
    {
        Assert.Equal(HostKeyVerdict.Known, File_.Check("198.18.0.11", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("node1", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("NODE1", Key("host_ed25519.pub")));
        // 198.18.0.12 has an ed25519 line and an RSA line: either key is the host's.
        Assert.Equal(HostKeyVerdict.Known, File_.Check("198.18.0.12", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("198.18.0.12", Key("host_rsa.pub")));
        Assert.Equal(HostKeyVerdict.Changed, File_.Check("198.18.0.12", Key("host_ecdsa.pub")));
        Assert.Equal(new[] { "ssh-ed25519", "ssh-rsa" }, File_.KeyTypes("198.18.0.12"));
    }

    [Fact]
    public void A_port_other_than_22_is_its_own_host_written_in_brackets()
    {
        Assert.Equal("[198.18.0.13]:2222", KnownHostsFile.HostName("198.18.0.13", 2222));
        Assert.Equal("198.18.0.13", KnownHostsFile.HostName("198.18.0.13", 22));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("[198.18.0.13]:2222", Key("host_ecdsa.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("198.18.0.13", Key("host_ecdsa.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("[198.18.0.11]:2222", Key("host_ed25519.pub")));
    }

    [Fact]
    public void Hashed_entries_made_by_ssh_keygen_match_their_host_only()
    {
        Assert.Equal(HostKeyVerdict.Known, File_.Check("198.18.0.21", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Changed, File_.Check("198.18.0.21", Key("host_rsa.pub")));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("[198.18.0.22]:2222", Key("host_rsa.pub")));
        Assert.Equal(HostKeyVerdict.Known, File_.Check("198.18.0.22", Key("host_ecdsa.pub")));
        Assert.Equal(HostKeyVerdict.Changed, File_.Check("198.18.0.22", Key("host_rsa.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("198.18.0.23", Key("host_ed25519.pub")));
    }

    [Fact]
    public void Wildcards_and_negation_revoked_and_cert_authority_lines()
    {
        Assert.Equal(HostKeyVerdict.Known, File_.Check("web.example.org", Key("host_ed25519.pub")));
        // !bad.example.org rules the line out for that host; the @cert-authority line is no key for it.
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("bad.example.org", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("example.org", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Revoked, File_.Check("198.18.0.14", Key("other_ed25519.pub")));
    }

    [Fact]
    public void Malformed_lines_are_skipped_as_openssh_skips_them()
    {
        // 11 lines hold keys; the comment, the blank line, the bad base64 and the type that is not its key's do not.
        Assert.Equal(11, File_.Count);
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("198.18.0.15", Key("host_ed25519.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, File_.Check("198.18.0.16", Key("host_ed25519.pub")));
        Assert.Equal(0, KnownHostsFile.Parse("\r\n# only\n@bogus h ssh-ed25519 AAAA\nhost-only\n").Count);
    }

    [Fact]
    public void A_pinned_line_is_hashed_in_openssh_format_and_read_back()
    {
        var line = KnownHostsFile.HashedLine("[198.18.0.13]:2222", Key("host_rsa.pub"));
        Assert.Matches(@"^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-rsa [A-Za-z0-9+/=]+\n$", line);
        var f = KnownHostsFile.Parse(line);
        Assert.Equal(HostKeyVerdict.Known, f.Check("[198.18.0.13]:2222", Key("host_rsa.pub")));
        Assert.Equal(HostKeyVerdict.Unknown, f.Check("198.18.0.13", Key("host_rsa.pub")));
        Assert.NotEqual(line, KnownHostsFile.HashedLine("[198.18.0.13]:2222", Key("host_rsa.pub"))); // a new salt each time
    }

    [Fact]
    public void Strict_refuses_unknown_accept_new_pins_once_and_a_changed_key_is_refused_under_both()
    {
        var dir = Directory.CreateTempSubdirectory("hatools-sshnet-kh-").FullName;
        try
        {
            var kh = Path.Combine(dir, "known_hosts");
            File.WriteAllText(kh, "198.18.0.99 " + File.ReadAllText(Fixture("host_ed25519.pub")).Trim()); // no newline at the end
            NodeTarget Node(HostKeyPolicy p, string address = "198.18.0.11") => new NodeTarget("n", address) { KnownHostsFile = kh, HostKeyPolicy = p };
            var keys = new HostKeys();
            var strict = keys.Decide(Node(HostKeyPolicy.Strict), Key("host_ed25519.pub"), "fp");
            Assert.False(strict.Trusted);
            Assert.Contains("host key", strict.Why);
            Assert.Contains("strict", strict.Why);
            Assert.True(keys.Decide(Node(HostKeyPolicy.AcceptNew), Key("host_ed25519.pub"), "fp").Trusted);
            Assert.True(keys.Decide(Node(HostKeyPolicy.Strict), Key("host_ed25519.pub"), "fp").Trusted);
            Assert.True(keys.Decide(Node(HostKeyPolicy.AcceptNew), Key("host_ed25519.pub"), "fp").Trusted);
            var lines = File.ReadAllLines(kh);
            Assert.Equal(2, lines.Length); // pinned once, on a line of its own after the one without a newline
            Assert.StartsWith("198.18.0.99 ssh-ed25519 ", lines[0]);
            Assert.StartsWith("|1|", lines[1]);
            foreach (var p in new[] { HostKeyPolicy.Strict, HostKeyPolicy.AcceptNew })
            {
                var changed = keys.Decide(Node(p), Key("host_rsa.pub"), "fp");
                Assert.False(changed.Trusted);
                Assert.Contains("changed host key", changed.Why);
            }
            Assert.Equal(2, File.ReadAllLines(kh).Length);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Parallel_first_connections_leave_one_valid_line_per_host()
    {
        var dir = Directory.CreateTempSubdirectory("hatools-sshnet-kh-").FullName;
        try
        {
            var kh = Path.Combine(dir, "sub", "known_hosts"); // the folder does not exist yet either
            var key = Key("host_ed25519.pub");
            // Two runners (no lock in common: only the O_APPEND writes keep their lines whole), 40 hosts, each host
            // asked for four times at once.
            var runners = new[] { new HostKeys(), new HostKeys() };
            var hosts = Enumerable.Range(1, 40).Select(i => "198.18.0." + (100 + i)).ToList();
            var calls = hosts.SelectMany(h => Enumerable.Range(0, 4).Select(k => (Host: h, Runner: runners[k % 2]))).ToList();
            var decisions = await Task.WhenAll(calls.Select(c => Task.Run(() =>
                c.Runner.Decide(new NodeTarget("n", c.Host) { KnownHostsFile = kh, HostKeyPolicy = HostKeyPolicy.AcceptNew }, key, "fp"))));
            Assert.All(decisions, d => Assert.True(d.Trusted));
            var file = KnownHostsFile.Parse(File.ReadAllText(kh));
            var lines = File.ReadAllLines(kh);
            Assert.Equal(lines.Length, file.Count); // every line is a whole, valid entry
            Assert.InRange(lines.Length, hosts.Count, hosts.Count * 2); // each runner pins a host at most once
            Assert.All(hosts, h => Assert.Equal(HostKeyVerdict.Known, file.Check(h, key)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Without_a_file_in_the_cluster_file_the_users_and_the_global_files_are_read()
    {
        var files = HostKeys.FilesFor(new NodeTarget("n", "198.18.0.11"));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts"), files[0]);
        Assert.Equal("/etc/ssh/ssh_known_hosts", files[1]);
        Assert.Equal(new[] { "/k/kh" }, HostKeys.FilesFor(new NodeTarget("n", "198.18.0.11") { KnownHostsFile = "/k/kh" }));
    }
}
