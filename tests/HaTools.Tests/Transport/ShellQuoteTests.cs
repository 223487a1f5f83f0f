using HaTools.Core.Transport;
using Xunit;

namespace HaTools.Tests;

public class ShellQuoteTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(touch /tmp/x)", "'$(touch /tmp/x)'")]
    public void Quotes_once(string input, string expected) => Assert.Equal(expected, ShellQuote.Quote(input));
}
