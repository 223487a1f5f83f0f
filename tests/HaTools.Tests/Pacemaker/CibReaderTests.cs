using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core;
using HaTools.Core.Stacks.Pacemaker;
using Xunit;

namespace HaTools.Tests.Pacemaker;

public class CibReaderTests
{
    private static XElement Cib(string name) => XElement.Parse(Fixtures.Read("crm_mon", name + ".cib.xml"));

    private const string MoveWithLifetime =
        "<rsc_location id=\"cli-prefer-vip\" rsc=\"vip\" role=\"Started\"><rule id=\"cli-prefer-rule-vip\" score=\"INFINITY\" boolean-op=\"and\">" +
        "<expression id=\"cli-prefer-expr-vip\" attribute=\"#uname\" operation=\"eq\" value=\"node3\" type=\"string\"/>" +
        "<date_expression id=\"cli-prefer-lifetime-end-vip\" operation=\"lt\" end=\"2026-11-22 00:30:25Z\"/></rule></rsc_location>";

    [Fact]
    public void Properties_with_sections()
    {
        var cib = XElement.Parse(CibXml.ToText(CibGenerator.FullCib(SpecBuilder.Lab())));
        var props = CibReader.Properties(cib);
        Assert.Equal(new[] { "crm_config:stonith-enabled=false", "crm_config:no-quorum-policy=stop", "rsc_defaults:resource-stickiness=100", "op_defaults:timeout=30s" },
            props.Select(p => $"{p.Section}:{p.Name}={p.Value}"));
        Assert.Equal(props.Count, CibReader.Properties(cib.Element("configuration")!).Count);
    }

    [Fact]
    public void Pacemaker_written_properties_are_read()
    {
        var props = CibReader.Properties(XElement.Parse(Fixtures.Read("cib", "running-empty.xml")));
        Assert.Contains(props, p => p.Name == "dc-version" && p.Value!.StartsWith("2.1.5"));
        Assert.Contains(props, p => p.Name == "cluster-name" && p.Value == "lab");
    }

    [Fact]
    public void Constraints_plain()
    {
        var cs = CibReader.Constraints(Cib("all-started"));
        var loc = cs.Single(c => c.Id == "loc-vip-node2");
        Assert.Equal((ConstraintType.Location, "vip", "node2", "100", false), (loc.Type, loc.Resource, loc.Target, loc.Score, loc.FromMove));
        var col = cs.Single(c => c.Id == "col-svc-vip");
        Assert.Equal((ConstraintType.Colocation, "svc", "vip", "INFINITY"), (col.Type, col.Resource, col.Target, col.Score));
        var ord = cs.Single(c => c.Id == "ord-vip-svc");
        Assert.Equal((ConstraintType.Order, "vip", "svc", "Mandatory"), (ord.Type, ord.Resource, ord.Target, ord.Kind));
    }

    [Fact]
    public void Move_constraint_from_crm_resource()
    {
        var cs = CibReader.Constraints(Cib("moved"));
        var mv = cs.Single(c => c.Id == "cli-prefer-vip");
        Assert.True(mv.FromMove);
        Assert.Equal(("vip", "node1", "INFINITY"), (mv.Resource, mv.Target, mv.Score));
        Assert.Null(mv.Expires);
    }

    [Fact]
    public void Move_with_lifetime_is_rule_based()
    {
        var cib = Cib("all-started");
        cib.Element("configuration")!.Element("constraints")!.Add(XElement.Parse(MoveWithLifetime));
        var mv = CibReader.Constraints(cib).Single(c => c.Id == "cli-prefer-vip");
        Assert.True(mv.FromMove);
        Assert.Equal(("vip", "node3", "INFINITY", "2026-11-22 00:30:25Z"), (mv.Resource, mv.Target, mv.Score, mv.Expires));
    }

    [Fact]
    public void Resources_by_id_and_kind()
    {
        var cib = Cib("clone");
        Assert.True(CibReader.ResourceExists(cib, "db"));
        Assert.False(CibReader.ResourceExists(cib, "nope"));
        Assert.Equal("primitive", CibReader.ResourceKind(cib, "db"));
        Assert.Equal("clone", CibReader.ResourceKind(cib, "db-clone"));
        Assert.Null(CibReader.ResourceKind(cib, "nope"));
        Assert.Equal("db-clone", CibReader.TopLevelResource(cib, "db"));
        Assert.Equal("vip", CibReader.TopLevelResource(cib, "vip"));
        Assert.Equal("group", CibReader.ResourceKind(Cib("group"), "web"));
        Assert.Equal("web", CibReader.TopLevelResource(Cib("group"), "svc"));
        // constraints and status have ids too: they are not resources
        Assert.False(CibReader.ResourceExists(cib, "col-vip-db"));
    }

    /// <summary>Real crm_resource --move --lifetime and --ban on a CIB file, read back.</summary>
    [ToolFact("crm_resource")]
    public void Real_move_and_ban_are_read()
    {
        var path = Fixtures.TempFile("cib.xml", Fixtures.Read("crm_mon", "all-started.cib.xml"));
        var env = new Dictionary<string, string> { ["CIB_file"] = path };
        try
        {
            Assert.Equal(0, Fixtures.ExecArgv(PacemakerCommands.Move("vip", "node3", "PT1H"), env).ExitCode);
            Assert.Equal(0, Fixtures.ExecArgv(new[] { "crm_resource", "--resource", "svc", "--ban", "--node", "node1" }, env).ExitCode);
            var cs = CibReader.Constraints(XElement.Parse(File.ReadAllText(path)));
            var mv = cs.Single(c => c.Id == "cli-prefer-vip");
            Assert.Equal(("vip", "node3", "INFINITY", true), (mv.Resource, mv.Target, mv.Score, mv.FromMove));
            Assert.NotNull(mv.Expires);
            var ban = cs.Single(c => c.Id == "cli-ban-svc-on-node1");
            Assert.Equal(("svc", "node1", "-INFINITY", true), (ban.Resource, ban.Target, ban.Score, ban.FromMove));

            Assert.Equal(0, Fixtures.ExecArgv(PacemakerCommands.ClearMove("vip"), env).ExitCode);
            Assert.DoesNotContain(CibReader.Constraints(XElement.Parse(File.ReadAllText(path))), c => c.Id == "cli-prefer-vip");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }
    }
}
