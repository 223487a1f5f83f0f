using System;
using System.IO;
using System.Linq;
using System.Security;
using HaTools.Core.Model;
using HaTools.Core.Transport;
using HaTools.Transport.SshNet;
using Xunit;

namespace HaTools.Tests.SshNet;

/// <summary>Identity files in OpenSSH's format (made by ssh-keygen: tests/fixtures/sshnet/README.md), the passphrase of an
/// encrypted one, and the signature algorithms each key offers.</summary>
public class IdentitiesTests
{
    private const string Passphrase = "fixture passphrase";

    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "fixtures", "sshnet", name);

    private static NodeTarget With(string identity) => new NodeTarget("n", "198.18.0.11") { IdentityFile = Fixture(identity) };

    private static SecureString Secure(string s)
    {
        var ss = new SecureString();
        foreach (var c in s) ss.AppendChar(c);
        ss.MakeReadOnly();
        return ss;
    }

    [Theory]
    [InlineData("id_ed25519", "ssh-ed25519")]
    [InlineData("id_ecdsa", "ecdsa-sha2-nistp256")]
    [InlineData("id_rsa", "rsa-sha2-512,rsa-sha2-256")]
    public void Each_key_type_signs_only_with_sha2(string file, string algorithms)
    {
        using var ids = new Identities(null);
        var key = Assert.Single(ids.For(With(file)));
        Assert.Equal(algorithms, string.Join(",", key.HostKeyAlgorithms.Select(a => a.Name)));
    }

    [Fact]
    public void An_encrypted_key_is_opened_with_the_passphrase_asked_once_and_never_named()
    {
        var asked = 0;
        using var ids = new Identities(path => { asked++; Assert.Equal(Fixture("id_ed25519_encrypted"), path); return Secure(Passphrase); });
        Assert.Equal("ssh-ed25519", Assert.Single(Assert.Single(ids.For(With("id_ed25519_encrypted"))).HostKeyAlgorithms).Name);
        ids.For(With("id_ed25519_encrypted"));
        Assert.Equal(1, asked);
        // A key without a passphrase is never asked for one.
        ids.For(With("id_ed25519"));
        Assert.Equal(1, asked);
    }

    [Fact]
    public void No_passphrase_or_a_wrong_one_is_an_authentication_failure_that_names_the_file_not_the_secret()
    {
        using (var none = new Identities(null))
        {
            var e = Assert.Throws<SshNetFailure>(() => none.For(With("id_ed25519_encrypted")));
            Assert.Equal(FailureKind.AuthFailed, e.Kind);
            Assert.Contains("is encrypted and no passphrase was given", e.Message);
            Assert.Contains("id_ed25519_encrypted", e.Message);
        }
        using (var empty = new Identities(_ => null))
            Assert.Equal(FailureKind.AuthFailed, Assert.Throws<SshNetFailure>(() => empty.For(With("id_ed25519_encrypted"))).Kind);
        const string wrong = "not the passphrase";
        using var ids = new Identities(_ => Secure(wrong));
        var w = Assert.Throws<SshNetFailure>(() => ids.For(With("id_ed25519_encrypted")));
        Assert.Equal(FailureKind.AuthFailed, w.Kind);
        Assert.Contains("wrong passphrase", w.Message);
        Assert.DoesNotContain(wrong, w.Message);
        Assert.DoesNotContain(Passphrase, w.Message);
    }

    [Fact]
    public void A_missing_or_unreadable_identity_is_an_authentication_failure()
    {
        using var ids = new Identities(null);
        Assert.Contains("does not exist", Assert.Throws<SshNetFailure>(() => ids.For(With("no-such-key"))).Message);
        var e = Assert.Throws<SshNetFailure>(() => ids.For(With("host_ed25519.pub")));
        Assert.Equal(FailureKind.AuthFailed, e.Kind);
        Assert.Contains("cannot read identity file", e.Message);
    }
}
