using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HaTools.Core.Model;
using HaTools.Core.Stacks.Pacemaker;
using HaTools.Core.Spec;
using Xunit;
using Xunit.Abstractions;

namespace HaTools.Tests.Pacemaker;

public class CibPlannerTests
{
    private readonly ITestOutputHelper _out;
    public CibPlannerTests(ITestOutputHelper output) => _out = output;

    /// <summary>A fresh cluster's CIB as Pacemaker made it (tests/fixtures/cib/make-fixtures.sh).</summary>
    private static XElement RunningEmpty() => XElement.Parse(Fixtures.Read("cib", "running-empty.xml"));

    /// <summary>What cibadmin --replace --scope configuration does: the configuration is swapped, the rest stays.</summary>
    private static XElement Apply(XElement cib, CibPlan plan)
    {
        var copy = new XElement(cib);
        copy.Element("configuration")!.ReplaceWith(new XElement(plan.NewConfiguration));
        return copy;
    }

    private static XElement Converged(ClusterSpec spec) => Apply(RunningEmpty(), CibPlanner.Plan(RunningEmpty(), spec));

    [Fact]
    public void Empty_cluster_gets_everything_added()
    {
        var plan = CibPlanner.Plan(RunningEmpty(), SpecBuilder.Lab());
        Assert.True(plan.Changed);
        Assert.Equal(new[]
        {
            "set property stonith-enabled=false (was unset)",
            "set property no-quorum-policy=stop (was unset)",
            "set resource default resource-stickiness=100 (was unset)",
            "set operation default timeout=30s (was unset)",
            "add primitive vip",
            "add primitive svc",
            "add constraint loc-vip-node1",
            "add constraint col-svc-vip",
            "add constraint ord-vip-svc",
        }, plan.Changes);
        Assert.Empty(plan.Warnings);
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("everything")]
    [InlineData("group")]
    [InlineData("clone")]
    [InlineData("promotable")]
    [InlineData("xen")]
    public void Applied_plan_replans_to_no_change(string name)
    {
        var spec = CibGeneratorTests.Named(name);
        var again = CibPlanner.Plan(Converged(spec), spec);
        Assert.False(again.Changed, string.Join("\n", again.Changes));
        Assert.Empty(again.Changes);
    }

    [Fact]
    public void Pacemaker_set_properties_and_nodes_survive()
    {
        var cfg = CibPlanner.Plan(RunningEmpty(), SpecBuilder.Lab()).NewConfiguration;
        var props = cfg.Element("crm_config")!.Element("cluster_property_set")!;
        Assert.Equal("cib-bootstrap-options", (string?)props.Attribute("id"));
        foreach (var n in new[] { "have-watchdog", "dc-version", "cluster-infrastructure", "cluster-name", "stonith-enabled" })
            Assert.Single(props.Elements("nvpair"), p => (string?)p.Attribute("name") == n);
        Assert.Equal(3, cfg.Element("nodes")!.Elements("node").Count());
    }

    [Fact]
    public void One_param_change_is_exactly_one_change()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        spec.Resources.Single(r => r.Name == "vip").Params["ip"] = "10.0.0.200";
        var plan = CibPlanner.Plan(cib, spec);
        Assert.Equal(new[] { "change primitive vip: params" }, plan.Changes);
        Assert.Equal("10.0.0.200", (string?)plan.NewConfiguration.Descendants("nvpair").Single(n => (string?)n.Attribute("id") == "vip-instance_attributes-ip").Attribute("value"));
        Assert.False(CibPlanner.Plan(Apply(cib, plan), spec).Changed);
    }

    [Fact]
    public void Property_change_says_what_it_was()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        spec.Properties["stonith-enabled"] = "true";
        Assert.Equal(new[] { "set property stonith-enabled=true (was false)" }, CibPlanner.Plan(cib, spec).Changes);
    }

    [Fact]
    public void Op_and_constraint_changes_are_named()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        spec.Resources.Single(r => r.Name == "svc").Ops[0].Timeout = "40s";
        spec.Constraints.Location[0].Score = "75";
        var plan = CibPlanner.Plan(cib, spec);
        Assert.Equal(new[] { "change primitive svc: ops", "change constraint loc-vip-node1: score 50 → 75" }, plan.Changes);
    }

    [Fact]
    public void Ids_attribute_order_whitespace_and_duration_spelling_do_not_count()
    {
        var spec = SpecBuilder.Lab();
        // The same configuration written by another tool: other nvpair/op ids, attributes reordered, 10000ms for 10s.
        var cib = Converged(spec);
        foreach (var nv in cib.Descendants("nvpair").Where(n => ((string?)n.Attribute("id"))!.StartsWith("vip-"))) nv.SetAttributeValue("id", "x-" + (string?)nv.Attribute("id"));
        var op = cib.Descendants("op").First(o => (string?)o.Attribute("id") == "vip-monitor-interval-10s");
        op.ReplaceWith(new XElement("op", new XAttribute("timeout", "20000ms"), new XAttribute("interval", "10000ms"), new XAttribute("name", "monitor"), new XAttribute("id", "vip-mon")));
        var reparsed = XElement.Parse(cib.ToString(SaveOptions.DisableFormatting));
        Assert.False(CibPlanner.Plan(reparsed, spec).Changed);
    }

    [Fact]
    public void Cli_prefer_constraint_and_standby_survive_and_are_reported()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        // Exactly what crm_resource --move --lifetime and crm_attribute --node … standby write (seen with CIB_file).
        cib.Element("configuration")!.Element("constraints")!.Add(XElement.Parse(
            "<rsc_location id=\"cli-prefer-vip\" rsc=\"vip\" role=\"Started\"><rule id=\"cli-prefer-rule-vip\" score=\"INFINITY\" boolean-op=\"and\">" +
            "<expression id=\"cli-prefer-expr-vip\" attribute=\"#uname\" operation=\"eq\" value=\"node3\" type=\"string\"/>" +
            "<date_expression id=\"cli-prefer-lifetime-end-vip\" operation=\"lt\" end=\"2030-01-01 00:00:00Z\"/></rule></rsc_location>"));
        cib.Element("configuration")!.Element("nodes")!.Elements("node").Single(n => (string?)n.Attribute("uname") == "node2").Add(XElement.Parse(
            "<instance_attributes id=\"nodes-2\"><nvpair id=\"nodes-2-standby\" name=\"standby\" value=\"on\"/></instance_attributes>"));
        var plan = CibPlanner.Plan(cib, spec);
        Assert.False(plan.Changed);
        Assert.Contains("constraint cli-prefer-vip (made by a move or ban) is in place; left as is", plan.Warnings);
        Assert.NotNull(plan.NewConfiguration.Descendants("rsc_location").SingleOrDefault(c => (string?)c.Attribute("id") == "cli-prefer-vip"));
        Assert.Equal("on", (string?)plan.NewConfiguration.Descendants("nvpair").Single(n => (string?)n.Attribute("id") == "nodes-2-standby").Attribute("value"));
    }

    [Fact]
    public void Undeclared_resources_are_kept_and_warned_about()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        cib.Element("configuration")!.Element("resources")!.Add(CibGenerator.Primitive(SpecBuilder.Primitive("extra", "ocf:pacemaker:Dummy")));
        var plan = CibPlanner.Plan(cib, spec);
        Assert.False(plan.Changed);
        Assert.Equal(new[] { "resource extra exists in the cluster but not in the file; left as is" }, plan.Warnings);
        Assert.NotNull(plan.NewConfiguration.Descendants("primitive").SingleOrDefault(p => (string?)p.Attribute("id") == "extra"));
    }

    [Fact]
    public void Target_role_set_by_an_operator_is_kept()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        var svc = cib.Descendants("primitive").Single(p => (string?)p.Attribute("id") == "svc");
        // crm_resource --resource svc --meta --set-parameter target-role --parameter-value Stopped
        svc.AddFirst(XElement.Parse("<meta_attributes id=\"svc-meta_attributes\"><nvpair id=\"svc-meta_attributes-target-role\" name=\"target-role\" value=\"Stopped\"/></meta_attributes>"));
        var plan = CibPlanner.Plan(cib, spec);
        Assert.False(plan.Changed);
        Assert.Contains("resource svc: meta target-role=Stopped is set in the cluster, not in the file; left as is", plan.Warnings);

        spec.Resources.Single(r => r.Name == "svc").Params["state"] = "/run/svc.state";
        var changed = CibPlanner.Plan(cib, spec);
        Assert.Equal(new[] { "change primitive svc: params" }, changed.Changes);
        Assert.Equal("Stopped", (string?)changed.NewConfiguration.Descendants("nvpair").Single(n => (string?)n.Attribute("name") == "target-role").Attribute("value"));
    }

    [Fact]
    public void Declared_target_role_wins()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        cib.Descendants("primitive").Single(p => (string?)p.Attribute("id") == "svc")
            .AddFirst(XElement.Parse("<meta_attributes id=\"svc-meta_attributes\"><nvpair id=\"svc-meta_attributes-target-role\" name=\"target-role\" value=\"Stopped\"/></meta_attributes>"));
        spec.Resources.Single(r => r.Name == "svc").Meta["target-role"] = "Started";
        Assert.Equal(new[] { "change primitive svc: meta" }, CibPlanner.Plan(cib, spec).Changes);
    }

    [Fact]
    public void Primitive_moved_into_a_group_is_replaced_once()
    {
        var spec = SpecBuilder.Lab();
        var cib = Converged(spec);
        spec.Constraints.Colocation.Clear();
        spec.Constraints.Order.Clear();
        spec.Groups.Add(new GroupSpec { Name = "web", Resources = { "vip", "svc" } });
        var plan = CibPlanner.Plan(cib, spec);
        Assert.Equal(new[] { "move primitive vip into group web", "move primitive svc into group web" }, plan.Changes);
        var resources = plan.NewConfiguration.Element("resources")!;
        Assert.Equal(new[] { "group" }, resources.Elements().Select(e => e.Name.LocalName));
        Assert.False(CibPlanner.Plan(Apply(cib, plan), spec).Changed);
    }

    [Fact]
    public void Existing_property_elsewhere_with_another_value_is_warned_about()
    {
        var cib = RunningEmpty();
        cib.Element("configuration")!.Element("crm_config")!.Add(XElement.Parse(
            "<cluster_property_set id=\"other\"><nvpair id=\"other-stonith-enabled\" name=\"stonith-enabled\" value=\"true\"/></cluster_property_set>"));
        var plan = CibPlanner.Plan(cib, SpecBuilder.Lab());
        Assert.Contains("property stonith-enabled is also set to true in cluster_property_set other; HaTools sets it in cib-bootstrap-options", plan.Warnings);
    }

    [Fact]
    public void Id_clash_with_an_undeclared_object_is_refused()
    {
        var cib = RunningEmpty();
        cib.Element("configuration")!.Element("constraints")!.Add(XElement.Parse("<rsc_location id=\"vip\" rsc=\"x\" node=\"node1\" score=\"1\"/>"));
        Assert.Throws<HaException>(() => CibPlanner.Plan(cib, SpecBuilder.Lab()));
    }

    [Fact]
    public void Not_a_cib_is_refused() =>
        Assert.Throws<PacemakerOutputException>(() => CibPlanner.Plan(XElement.Parse("<pacemaker-result/>"), SpecBuilder.Lab()));

    /// <summary>
    /// The whole loop with the real tools on a CIB file: plan, cibadmin --replace --scope configuration, an operator's
    /// move and standby, cibadmin --query, plan again (no change), crm_verify.
    /// </summary>
    [ToolFact("cibadmin", "crm_resource", "crm_attribute", "crm_verify")]
    public void Real_cibadmin_round_trip_converges()
    {
        var spec = SpecBuilder.Everything();
        var path = Fixtures.TempFile("cib.xml", Fixtures.Read("cib", "running-empty.xml"));
        var env = new Dictionary<string, string> { ["CIB_file"] = path };
        try
        {
            var plan = CibPlanner.Plan(RunningEmpty(), spec);
            var replace = Fixtures.ExecArgv(PacemakerCommands.ReplaceConfiguration(), env, CibXml.ToText(plan.NewConfiguration));
            Assert.True(replace.ExitCode == 0, replace.ToString());
            Check(Fixtures.ExecArgv(PacemakerCommands.Move("vip", "node3", "PT1H"), env));
            Check(Fixtures.ExecArgv(PacemakerCommands.SetStandby("node2", true), env));
            var query = Fixtures.ExecArgv(PacemakerCommands.QueryCib(), env);
            Check(query);
            var again = CibPlanner.Plan(XElement.Parse(query.StdOut), spec);
            Assert.False(again.Changed, string.Join("\n", again.Changes));
            Assert.Contains(again.Warnings, w => w.StartsWith("constraint cli-prefer-vip"));
            Assert.Contains("name=\"dc-version\"", query.StdOut);

            // Apply the (unchanged) plan again: still valid, standby and move still there.
            Check(Fixtures.ExecArgv(PacemakerCommands.ReplaceConfiguration(), env, CibXml.ToText(again.NewConfiguration)));
            var verify = Fixtures.Exec(Fixtures.Tool("crm_verify")!, new[] { "--xml-file", path, "-V" });
            Assert.True(verify.ExitCode == 0, verify.ToString());
            var final = XElement.Parse(File.ReadAllText(path));
            Assert.Equal("on", (string?)final.Descendants("nvpair").Single(n => (string?)n.Attribute("name") == "standby").Attribute("value"));
            Assert.Single(final.Descendants("rsc_location"), c => (string?)c.Attribute("id") == "cli-prefer-vip");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, true);
        }

        void Check(Fixtures.Run run)
        {
            _out.WriteLine(run.ToString());
            Assert.True(run.ExitCode == 0, run.ToString());
        }
    }
}
