using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using HaTools.Tests.Pacemaker;
using Xunit;

namespace HaTools.Tests.Hast;

public class HastConfGeneratorTests
{
    [Fact]
    public void The_example_matches_golden() => Fixtures.AssertGolden("hast-example.conf", HastConfGenerator.HastConf(HastSpecTests.Example()));

    [Fact]
    public void Output_is_deterministic_LF_only_and_every_word_is_a_hast_conf_word()
    {
        var a = HastConfGenerator.HastConf(HastSpecTests.Example());
        Assert.Equal(a, HastConfGenerator.HastConf(HastSpecTests.Example()));
        Assert.DoesNotContain("\r", a);
        // token.l: comments run to the end of a line; everything else is braces and bare words.
        foreach (var word in Words(a).Where(w => w != "{" && w != "}"))
            Assert.Matches(@"\A[a-zA-Z0-9.\-_/:\[\]]+\z", word);
        Assert.Equal(Words(a).Count(w => w == "{"), Words(a).Count(w => w == "}"));
    }

    [Fact]
    public void It_has_the_structure_of_the_real_hast_conf_of_the_foozone_captures()
    {
        // The published file: resource storage, on f0 { local /dev/ada1, remote 192.168.1.130 }, on f1 { … 192.168.1.131 }.
        var real = Tree(Fixtures.Read("hast", "hast.conf.foozone.txt"));
        var spec = SpecLoader.LoadText("name: f3s\nstack: hast\nnodes:\n  - { name: f0, address: 192.168.1.131 }\n  - { name: f1, address: 192.168.1.130 }\n" +
            "hast:\n  resources: [ { name: storage, local: /dev/ada1 } ]\nfailover: { automatic: false }\n", "f3s.yaml");
        Assert.Equal(real, Tree(HastConfGenerator.HastConf(spec)));
    }

    [Fact]
    public void The_example_tree_has_globals_then_both_node_blocks_per_resource_with_the_peer_as_remote()
    {
        var t = Tree(HastConfGenerator.HastConf(HastSpecTests.Example()));
        Assert.Equal(new[] { "replication fullsync", "checksum crc32", "resource disk0", "resource disk1" }, t.Select(n => n.Head));
        var disk1 = t[3];
        Assert.Equal(new[] { "compression lzf", "on f0", "on f1" }, disk1.Children.Select(n => n.Head));
        Assert.Equal(new[] { "local /dev/ada2", "remote 198.51.100.11" }, disk1.Children[1].Children.Select(n => n.Head));
        Assert.Equal(new[] { "local /dev/da2", "remote 198.51.100.10" }, disk1.Children[2].Children.Select(n => n.Head));
    }

    [Fact]
    public void A_name_hastd_would_misread_is_refused_even_in_a_spec_built_in_memory()
    {
        var spec = HastSpecTests.Example();
        spec.Section<HastSection>().Hast.Resources[0].Name = "remote";
        Assert.Contains("keyword", Assert.Throws<HaException>(() => HastConfGenerator.HastConf(spec)).Message);
        spec.Section<HastSection>().Hast.Resources[0].Name = "disk0";
        spec.Section<HastSection>().Hast.Resources[0].Local["f1"] = "/dev/ada1 }";
        Assert.Contains("one word", Assert.Throws<HaException>(() => HastConfGenerator.HastConf(spec)).Message);
    }

    [Fact]
    public void Rc_conf_entries_per_node_with_the_password_only_in_the_secret_file()
    {
        var spec = HastSpecTests.Example();
        var f1 = HastConfGenerator.RcConf(spec, "f1", "pw-example");
        Assert.Equal(new[] { "/etc/rc.conf.d/hastd", "/etc/rc.conf.d/kld", "/etc/rc.conf.d/netif" }, f1.Select(f => f.Path));
        Assert.EndsWith("\nhastd_enable=\"YES\"\n", f1[0].Content);
        Assert.EndsWith("\nkld_list=\"${kld_list} carp\"\n", f1[1].Content);
        Assert.EndsWith("\nifconfig_vtnet0_alias0=\"inet vhid 1 advbase 1 advskew 100 pass pw-example alias 192.0.2.50/32\"\n", f1[2].Content);
        Assert.Equal(new[] { ("0644", false), ("0644", false), ("0600", true) }, f1.Select(f => (f.Mode, f.Secret)));
        Assert.All(f1.Where(f => !f.Secret), f => Assert.DoesNotContain("pw-example", f.Content));
        Assert.Contains("advskew 0 pass", HastConfGenerator.RcConf(spec, "f0", "pw-example")[2].Content);
    }

    [Fact]
    public void A_bad_or_missing_carp_password_is_refused_without_showing_it()
    {
        var spec = HastSpecTests.Example();
        var e = Assert.Throws<HaException>(() => HastConfGenerator.RcConf(spec, "f0", "bad\"pass"));
        Assert.DoesNotContain("bad\"pass", e.Message);
        Assert.Throws<HaException>(() => HastConfGenerator.RcConf(spec, "f0", null));
        Assert.Throws<NotFoundException>(() => HastConfGenerator.RcConf(spec, "f9", "pw"));
    }

    [Fact]
    public void Without_carp_only_hastd_is_enabled()
    {
        var spec = SpecLoader.LoadText("name: c\nstack: hast\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n" +
            "hast:\n  resources: [ { name: r0, local: /dev/da0 } ]\nfailover: { automatic: false }\n", "c.yaml");
        Assert.Equal(new[] { "/etc/rc.conf.d/hastd" }, HastConfGenerator.RcConf(spec, "a", null).Select(f => f.Path));
    }

    internal sealed record Node(string Head, List<Node> Children)
    {
        public bool Equals(Node? o) => o != null && Head == o.Head && Children.SequenceEqual(o.Children);
        public override int GetHashCode() => Head.GetHashCode();
    }

    private static IEnumerable<string> Words(string conf) =>
        Regex.Split(Regex.Replace(conf, "#[^\n]*", ""), @"(\{|\}|\s+)").Where(w => w.Trim().Length > 0);

    /// <summary>hast.conf as hastd's grammar reads it: statements "KEY ARG", blocks "KEY ARG { … }"; comments and layout dropped.</summary>
    internal static List<Node> Tree(string conf)
    {
        var words = Words(conf).ToList();
        var i = 0;
        List<Node> Block()
        {
            var list = new List<Node>();
            while (i < words.Count && words[i] != "}")
            {
                var head = words[i++] + " " + words[i++];
                var children = new List<Node>();
                if (i < words.Count && words[i] == "{") { i++; children = Block(); i++; }
                list.Add(new Node(head, children));
            }
            return list;
        }
        return Block();
    }
}
