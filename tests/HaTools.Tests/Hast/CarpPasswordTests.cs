using System;
using System.IO;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.Core.Stacks.Hast;
using Xunit;

namespace HaTools.Tests.Hast;

public sealed class CarpPasswordTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hatools-carp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ClusterSpec Spec(string source)
    {
        var yaml = "name: c\nstack: hast\nnodes:\n  - { name: a, address: 192.0.2.1 }\n  - { name: b, address: 192.0.2.2 }\n" +
                   "hast:\n  resources: [ { name: r0, local: /dev/da0 } ]\n" +
                   $"carp:\n  interface: em0\n  vhid: 3\n  address: 192.0.2.50\n  {source}\n";
        var file = Path.Combine(_dir, "cluster.yaml");
        File.WriteAllText(file, yaml);
        return SpecLoader.Load(file);
    }

    private string Secret(string name, string content, UnixFileMode mode)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void A_private_file_relative_to_the_cluster_file_gives_its_first_line()
    {
        Secret("carp.pass", "s3cret-One\nsecond line\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("s3cret-One", CarpPassword.Read(Spec("password_file: carp.pass")));
        Secret("ro.pass", "s3cret-Two", UnixFileMode.UserRead);
        Assert.Equal("s3cret-Two", CarpPassword.Read(Spec("password_file: ro.pass")));
    }

    [Fact]
    public void A_file_others_may_read_is_refused_without_showing_the_password()
    {
        var path = Secret("open.pass", "s3cret-Three\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<HaException>(() => CarpPassword.Read(Spec("password_file: open.pass")));
        Assert.Contains("mode 0644", e.Message);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain("s3cret-Three", e.Message);
    }

    [Fact]
    public void The_environment_variable_is_read_and_an_unusable_password_is_refused_without_showing_it()
    {
        var spec = Spec("password_env: HAST_TEST_CARP");
        Assert.Equal("env-Pass1", CarpPassword.Read(spec, n => n == "HAST_TEST_CARP" ? "env-Pass1" : null));
        Assert.Contains("HAST_TEST_CARP (carp.password_env) is not set", Assert.Throws<HaException>(() => CarpPassword.Read(spec, _ => null)).Message);
        var e = Assert.Throws<HaException>(() => CarpPassword.Read(spec, _ => "with space-Secret"));
        Assert.DoesNotContain("with space-Secret", e.Message);
        Assert.Contains("printable ASCII without spaces", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<HaException>(() => CarpPassword.Read(Spec("password_file: none.pass")));
        Assert.Contains(Path.Combine(_dir, "none.pass"), e.Message);
    }
}
