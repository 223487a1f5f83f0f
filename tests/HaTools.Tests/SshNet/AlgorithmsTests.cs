using System.Linq;
using HaTools.Transport.SshNet;
using Renci.SshNet;
using Xunit;

namespace HaTools.Tests.SshNet;

/// <summary>What the sshnet runner lets SSH.NET 2026.0.0 offer in a handshake.</summary>
public class AlgorithmsTests
{
    // Written out here, not taken from the production lists: what must never be offered.
    private static readonly string[] Weak =
    {
        "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1",
        "aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc",
        "hmac-sha1", "hmac-sha1-etm@openssh.com",
        "ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "ssh-dss",
    };

    private static ConnectionInfo Fresh() => new ConnectionInfo("198.18.0.11", "root", new NoneAuthenticationMethod("root"));

    [Fact]
    public void SshNet_offers_the_weak_ones_by_default_and_none_is_left_after_restricting()
    {
        var info = Fresh();
        var offered = Offered(info);
        Assert.Contains("diffie-hellman-group1-sha1", offered);
        Assert.Contains("3des-cbc", offered);
        Assert.Contains("hmac-sha1", offered);
        Assert.Contains("ssh-rsa", offered);
        Algorithms.Restrict(info);
        Assert.Empty(Offered(info).Intersect(Weak));
        Assert.Equal(new[] { "none" }, info.CompressionAlgorithms.Keys);
        Assert.DoesNotContain(info.HostKeyAlgorithms.Keys, k => k.Contains("-cert-"));
    }

    [Fact]
    public void Curve25519_first_then_the_rest_in_order_and_every_name_is_one_SshNet_has()
    {
        var info = Fresh();
        var all = Offered(Fresh());
        Assert.All(Algorithms.KeyExchange.Concat(Algorithms.Ciphers).Concat(Algorithms.Macs).Concat(Algorithms.HostKeys), a => Assert.Contains(a, all));
        Algorithms.Restrict(info);
        Assert.Equal("curve25519-sha256", info.KeyExchangeAlgorithms.Keys.First());
        Assert.Equal(Algorithms.KeyExchange, info.KeyExchangeAlgorithms.Keys);
        Assert.Equal(Algorithms.Ciphers, info.Encryptions.Keys);
        Assert.Equal("aes128-gcm@openssh.com", info.Encryptions.Keys.First());
        Assert.Equal(Algorithms.Macs, info.HmacAlgorithms.Keys);
        Assert.Equal(new[] { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256" }, info.HostKeyAlgorithms.Keys);
    }

    [Fact]
    public void A_host_known_by_its_rsa_key_is_asked_for_rsa_with_sha2_first()
    {
        Assert.Equal(new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" },
            Algorithms.HostKeysFor(new[] { "ssh-rsa" }));
        Assert.Equal("ecdsa-sha2-nistp256", Algorithms.HostKeysFor(new[] { "ecdsa-sha2-nistp256", "ssh-ed25519" })[0]);
        Assert.Equal(Algorithms.HostKeys, Algorithms.HostKeysFor(new[] { "ssh-dss" }));
        var info = Fresh();
        Algorithms.Restrict(info, Algorithms.HostKeysFor(new[] { "ssh-rsa" }));
        Assert.Equal("rsa-sha2-512", info.HostKeyAlgorithms.Keys.First());
        Assert.DoesNotContain("ssh-rsa", info.HostKeyAlgorithms.Keys);
    }

    private static string[] Offered(ConnectionInfo i) =>
        i.KeyExchangeAlgorithms.Keys.Concat(i.Encryptions.Keys).Concat(i.HmacAlgorithms.Keys).Concat(i.HostKeyAlgorithms.Keys).Concat(i.CompressionAlgorithms.Keys).ToArray();
}
