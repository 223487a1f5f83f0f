using System;
using System.Collections.Generic;
using System.Linq;
using HaTools.Core.Spec.Yaml;
using HaTools.Core.Transport;

namespace HaTools.Core.Spec.Reading;

/// <summary>Sections of stack: pacemaker (corosync, quorum, CIB contents).</summary>
internal static class PacemakerReaders
{
    private static readonly string[] TargetRoles = { "Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave" };
    private static readonly string[] BooleanMeta = { "is-managed", "allow-migrate", "interleave", "notify", "globally-unique", "ordered", "maintenance", "critical" };
    private static readonly string[] CountMeta = { "clone-max", "clone-node-max", "clone-min", "promoted-max", "promoted-node-max", "master-max", "master-node-max", "migration-threshold" };

    public static void Corosync(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var c = spec.Corosync;
        var r = top.Map("corosync", c, "transport", "token", "consensus", "crypto");
        if (r == null) return;
        c.Transport = r.Enum("transport", SpecRules.Transports) ?? c.Transport;
        c.Token = r.Int("token", 100, 60000);
        c.Consensus = r.Int("consensus", 100, 120000);
        if (c.Token != null && c.Consensus != null && c.Consensus <= c.Token)
            r.Error("consensus", SpecCodes.BadValue, $"consensus ({c.Consensus} ms) must be greater than token ({c.Token} ms); corosync's default is 1.2 × token");

        var crypto = r.Get("crypto");
        var given = crypto != null && crypto is not YScalar { IsNull: true };
        if (crypto is YMap)
        {
            var cr = ctx.Map(crypto, r.Field("crypto"), null, "cipher", "hash");
            c.CryptoCipher = cr!.Enum("cipher", SpecRules.Ciphers) ?? c.CryptoCipher;
            c.CryptoHash = cr.Enum("hash", SpecRules.Hashes) ?? c.CryptoHash;
            if (cr.Has("cipher")) c.FieldPositions["crypto.cipher"] = cr.PosOf("cipher");
            if (cr.Has("hash")) c.FieldPositions["crypto.hash"] = cr.PosOf("hash");
            if (c.CryptoCipher != "none" && c.CryptoHash == "none")
                ctx.Error(cr.Node.Get("hash") ?? cr.Node, cr.Field("hash"), SpecCodes.BadValue, $"cipher {c.CryptoCipher} needs a hash (corosync refuses encryption without authentication); set hash or cipher: none");
            c.Crypto = !(c.CryptoCipher == "none" && c.CryptoHash == "none");
        }
        else if (given)
        {
            c.Crypto = ctx.Bool(crypto!, r.Field("crypto")) ?? c.Crypto;
        }

        if (c.Transport != "knet")
        {
            if (given && c.Crypto)
                r.Error("crypto", SpecCodes.BadValue, $"crypto needs transport: knet (corosync does not encrypt {c.Transport}); set crypto: false");
            else
                c.Crypto = false;
        }
        if (!c.Crypto)
        {
            c.CryptoCipher = "none";
            c.CryptoHash = "none";
        }
    }

    public static void Quorum(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var q = spec.Quorum;
        var r = top.Map("quorum", q, "two_node", "wait_for_all", "expected_votes");
        if (r == null) return;
        q.TwoNode = r.Bool("two_node");
        q.WaitForAll = r.Bool("wait_for_all");
        q.ExpectedVotes = r.Int("expected_votes", 1, 65535);
    }

    public static void Properties(ReadContext ctx, MapReader top, ClusterSpec spec) =>
        ctx.Attributes(top.Get("properties"), top.Field("properties"), spec, "properties", spec.Properties, SpecRules.PropertyName, PropertyRule);

    public static void RscDefaults(ReadContext ctx, MapReader top, ClusterSpec spec) =>
        ctx.Attributes(top.Get("rsc_defaults"), top.Field("rsc_defaults"), spec, "rsc_defaults", spec.RscDefaults, SpecRules.AttributeKey, MetaRule);

    public static void OpDefaults(ReadContext ctx, MapReader top, ClusterSpec spec) =>
        ctx.Attributes(top.Get("op_defaults"), top.Field("op_defaults"), spec, "op_defaults", spec.OpDefaults, SpecRules.AttributeKey, OpDefaultRule);

    public static void Resources(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("resources"), top.Field("resources")))
        {
            var p = new PrimitiveSpec();
            var r = ctx.Map(item, path, p, "name", "agent", "params", "meta", "ops");
            if (r == null) continue;
            p.Name = r.Name("name", "resource name") ?? "";
            p.Agent = r.Checked("agent", SpecRules.AgentProblem, SpecCodes.BadAgent, required: true) ?? "";
            ctx.Attributes(r.Get("params"), r.Field("params"), p, "params", p.Params, SpecRules.AttributeKey);
            ctx.Attributes(r.Get("meta"), r.Field("meta"), p, "meta", p.Meta, SpecRules.AttributeKey, MetaRule);
            var seen = new Dictionary<string, OperationSpec>();
            foreach (var (opNode, opPath, _) in ReadContext.Items(r.Seq("ops"), r.Field("ops")))
            {
                var o = new OperationSpec();
                var or = ctx.Map(opNode, opPath, o, "name", "interval", "timeout", "role");
                if (or == null) continue;
                o.Name = or.Enum("name", SpecRules.OpNames, required: true) ?? o.Name;
                o.Interval = or.Checked("interval", SpecRules.DurationProblem, SpecCodes.BadDuration) ?? o.Interval;
                o.Timeout = or.Checked("timeout", SpecRules.DurationProblem, SpecCodes.BadDuration);
                o.Role = or.Enum("role", SpecRules.OpRoles);
                var key = o.Name + " " + o.Interval;
                if (seen.TryGetValue(key, out var first))
                    ctx.Error(opNode, opPath, SpecCodes.DuplicateName, $"operation '{o.Name}' with interval {o.Interval} is given twice (first at line {first.Position.Line}); Pacemaker needs name + interval to be unique");
                else
                    seen[key] = o;
                p.Ops.Add(o);
            }
            spec.Resources.Add(p);
        }
    }

    public static void Groups(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("groups"), top.Field("groups")))
        {
            var g = new GroupSpec();
            var r = ctx.Map(item, path, g, "name", "resources", "meta");
            if (r == null) continue;
            g.Name = r.Name("name", "group name") ?? "";
            var members = r.Seq("resources", required: true);
            if (members != null && members.Items.Count == 0)
                r.Error("resources", SpecCodes.Missing, "a group needs at least one resource");
            foreach (var (m, mPath, _) in ReadContext.Items(members, r.Field("resources")))
            {
                var t = ctx.Text(m, mPath);
                if (t == null) continue;
                g.FieldPositions[$"resources[{g.Resources.Count}]"] = ctx.Pos(m);
                g.Resources.Add(t);
            }
            ctx.Attributes(r.Get("meta"), r.Field("meta"), g, "meta", g.Meta, SpecRules.AttributeKey, MetaRule);
            spec.Groups.Add(g);
        }
    }

    public static void Clones(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        foreach (var (item, path, _) in ReadContext.Items(top.Seq("clones"), top.Field("clones")))
        {
            var c = new CloneSpec();
            var r = ctx.Map(item, path, c, "name", "resource", "promotable", "meta");
            if (r == null) continue;
            c.Name = r.Name("name", "clone name") ?? "";
            c.Resource = r.Str("resource", required: true) ?? "";
            c.Promotable = r.Bool("promotable") ?? false;
            ctx.Attributes(r.Get("meta"), r.Field("meta"), c, "meta", c.Meta, SpecRules.AttributeKey, MetaRule);
            spec.Clones.Add(c);
        }
    }

    public static void Constraints(ReadContext ctx, MapReader top, ClusterSpec spec)
    {
        var cs = spec.Constraints;
        var r = top.Map("constraints", cs, "location", "colocation", "order");
        if (r == null) return;

        foreach (var (item, path, _) in ReadContext.Items(r.Seq("location"), r.Field("location")))
        {
            var l = new LocationSpec();
            var lr = ctx.Map(item, path, l, "id", "resource", "prefers", "avoids", "score");
            if (lr == null) continue;
            l.Id = lr.Name("id", "constraint id", required: false) ?? "";
            l.Resource = lr.Str("resource", required: true) ?? "";
            if (lr.Has("prefers") && lr.Has("avoids"))
                ctx.Error(lr.KeyNode("avoids")!, lr.Field("avoids"), SpecCodes.Conflict, "give either prefers or avoids, not both");
            else if (!lr.Has("prefers") && !lr.Has("avoids"))
                ctx.Error(lr.Node, lr.Field("prefers"), SpecCodes.Missing, "missing 'prefers' or 'avoids' (the node the resource prefers or avoids)");
            l.Avoids = !lr.Has("prefers") && lr.Has("avoids");
            l.Node = lr.Str(l.Avoids ? "avoids" : "prefers") ?? "";
            l.Score = lr.Checked("score", SpecRules.ScoreProblem, SpecCodes.BadScore) ?? l.Score;
            if (l.Avoids && SpecRules.IsNegativeScore(l.Score))
                lr.Error("score", SpecCodes.BadScore, $"with avoids, give a positive score (it is negated: avoids with score {l.Score.TrimStart('-')} means {l.Score})");
            if (l.Id.Length == 0 && l.Resource.Length > 0 && l.Node.Length > 0)
                l.Id = l.DefaultId;
            cs.Location.Add(l);
        }

        foreach (var (item, path, _) in ReadContext.Items(r.Seq("colocation"), r.Field("colocation")))
        {
            var c = new ColocationSpec();
            var cr = ctx.Map(item, path, c, "id", "resource", "with", "score");
            if (cr == null) continue;
            c.Id = cr.Name("id", "constraint id", required: false) ?? "";
            c.Resource = cr.Str("resource", required: true) ?? "";
            c.With = cr.Str("with", required: true) ?? "";
            c.Score = cr.Checked("score", SpecRules.ScoreProblem, SpecCodes.BadScore) ?? c.Score;
            if (c.Id.Length == 0 && c.Resource.Length > 0 && c.With.Length > 0)
                c.Id = c.DefaultId;
            cs.Colocation.Add(c);
        }

        foreach (var (item, path, _) in ReadContext.Items(r.Seq("order"), r.Field("order")))
        {
            var o = new OrderSpec();
            var or = ctx.Map(item, path, o, "id", "first", "then", "kind");
            if (or == null) continue;
            o.Id = or.Name("id", "constraint id", required: false) ?? "";
            o.First = or.Str("first", required: true) ?? "";
            o.Then = or.Str("then", required: true) ?? "";
            o.Kind = or.Enum("kind", SpecRules.OrderKinds) ?? o.Kind;
            if (o.Id.Length == 0 && o.First.Length > 0 && o.Then.Length > 0)
                o.Id = o.DefaultId;
            cs.Order.Add(o);
        }
    }

    private static string? PropertyRule(string key, string value)
    {
        if (key == "no-quorum-policy" && !SpecRules.NoQuorumPolicies.Contains(value))
            return $"no-quorum-policy '{Names.Printable(value)}' is not one of: {string.Join(", ", SpecRules.NoQuorumPolicies)}" + SpecRules.Hint(value, SpecRules.NoQuorumPolicies);
        if (SpecRules.BooleanProperties.Contains(key) && value != "true" && value != "false")
            return $"{key} takes true or false, not '{Names.Printable(value)}'";
        return null;
    }

    private static string? MetaRule(string key, string value)
    {
        if (key == "resource-stickiness") return SpecRules.ScoreProblem(value);
        if (key == "target-role" && !TargetRoles.Contains(value))
            return $"target-role '{Names.Printable(value)}' is not one of: {string.Join(", ", TargetRoles)}" + SpecRules.Hint(value, TargetRoles);
        if (BooleanMeta.Contains(key) && value != "true" && value != "false")
            return $"{key} takes true or false, not '{Names.Printable(value)}'";
        if (CountMeta.Contains(key) && !(value.Length is > 0 and <= 9 && value.All(ch => ch >= '0' && ch <= '9')) && value != "INFINITY")
            return $"{key} takes a whole number, not '{Names.Printable(value)}'";
        return null;
    }

    private static string? OpDefaultRule(string key, string value) =>
        key == "timeout" || key == "interval" ? SpecRules.DurationProblem(value) : null;
}
