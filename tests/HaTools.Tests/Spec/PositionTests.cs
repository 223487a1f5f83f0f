using System.Linq;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

public class PositionTests
{
    private static SpecException Fail(string yaml) => Assert.Throws<SpecException>(() => SpecLoader.LoadText(yaml, "pos.yaml"));

    private const string Nodes = "name: c\nnodes:\n  - name: n1\n    address: 192.0.2.1\n  - name: n2\n    address: 192.0.2.2\n  - name: n3\n    address: 192.0.2.3\n";

    [Fact]
    public void Bad_value_points_at_the_value()
    {
        var ex = Fail("name: c\nnodes:\n  - name: n1\n    address: 192.0.2.999\n");
        var p = Assert.Single(ex.Problems);
        Assert.Equal(("pos.yaml", 4, 14), (p.File, p.Line, p.Column));
        Assert.Equal("nodes[0].address", p.Field);
        Assert.Equal(SpecCodes.BadValue, p.Code);
        Assert.StartsWith("pos.yaml:4:14: nodes[0].address: invalid IPv4 address", p.ToString());
    }

    [Fact]
    public void Unknown_key_points_at_the_key()
    {
        var ex = Fail(Nodes + "corosync:\n  transport: knet\n  tokn: 1000\n");
        var p = Assert.Single(ex.Problems);
        Assert.Equal((11, 3, "corosync.tokn"), (p.Line, p.Column, p.Field));
        Assert.Contains("did you mean 'token'?", p.Message);
    }

    [Fact]
    public void Duplicate_key_points_at_the_second_key()
    {
        var ex = Fail(Nodes + "quorum:\n  wait_for_all: true\n  wait_for_all: false\n");
        var p = Assert.Single(ex.Problems);
        Assert.Equal((11, 3, "quorum.wait_for_all"), (p.Line, p.Column, p.Field));
        Assert.Contains("first at line 10", p.Message);
    }

    [Fact]
    public void Dangling_reference_points_at_the_referencing_field()
    {
        var ex = Fail(Nodes + "resources:\n  - name: a\n    agent: ocf:heartbeat:Dummy\nconstraints:\n  order:\n    - first: a\n      then: b\n");
        var p = Assert.Single(ex.Problems);
        Assert.Equal((15, 13, "constraints.order[0].then", SpecCodes.Dangling), (p.Line, p.Column, p.Field, p.Code));
        Assert.Equal("unknown resource 'b'", p.Message);
    }

    [Fact]
    public void Duplicate_address_points_at_the_second_and_names_the_first_line()
    {
        var ex = Fail(Nodes.Replace("192.0.2.3", "192.0.2.1"));
        var p = Assert.Single(ex.Problems);
        Assert.Equal((8, 14, "nodes[2].address"), (p.Line, p.Column, p.Field));
        Assert.Contains("at line 4", p.Message);
    }

    [Fact]
    public void Syntax_error_has_the_parser_position()
    {
        var ex = Fail("name: c\nnodes: [\n");
        var p = Assert.Single(ex.Problems);
        Assert.Equal((SpecCodes.Syntax, "(file)"), (p.Code, p.Field));
        Assert.Equal(3, p.Line);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var ex = Fail("name: \"bad name\"\nnodes:\n  - { name: n1, address: 192.0.2.1, nodeid: -1 }\nssh: { port: 0 }\nquorum: { two_node: true }\n");
        Assert.Equal(new[] { 1, 3, 4, 5 }, ex.Problems.Select(p => p.Line));
        Assert.All(ex.Problems, p => Assert.Equal(Severity.Error, p.Severity));
        Assert.Equal(4, ex.Message.Split('\n').Length);
    }

    [Fact]
    public void Field_positions_are_recorded_in_the_model()
    {
        var spec = SpecLoader.LoadText(Nodes + "resources:\n  - name: a\n    agent: ocf:heartbeat:Dummy\n    params:\n      state: /run/a\n", "m.yaml");
        Assert.Equal(3, spec.Nodes[0].Position.Line);
        Assert.Equal((4, 14), (spec.Nodes[0].PositionOf("address").Line, spec.Nodes[0].PositionOf("address").Column));
        Assert.Equal((13, 14), (spec.Resources[0].PositionOf("params.state").Line, spec.Resources[0].PositionOf("params.state").Column));
    }
}
