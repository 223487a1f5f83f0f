using System;
using System.IO;
using System.Linq;
using System.Text;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using Xunit;

namespace HaTools.Tests.Spec;

/// <summary>Mutated examples: the loader either returns a spec or throws SpecException, never anything else,
/// and never reports an internal error.</summary>
public class FuzzTests
{
    private const string Alphabet = " \t\n:-[]{}&*!|>'\"%@`#,?~0aZ$;\\\u00e9\u0001";

    [Fact]
    public void Mutated_examples_never_crash_the_loader()
    {
        var rnd = new Random(20240611);
        foreach (var file in Directory.GetFiles(SpecTestUtil.Examples, "*.yaml"))
        {
            var text = File.ReadAllText(file);
            for (var i = 0; i < 1500; i++)
            {
                var sb = new StringBuilder(text);
                for (var k = rnd.Next(1, 6); k > 0; k--)
                {
                    var at = rnd.Next(sb.Length);
                    switch (rnd.Next(4))
                    {
                        case 0: sb.Remove(at, Math.Min(rnd.Next(1, 20), sb.Length - at)); break;
                        case 1: sb.Insert(at, Alphabet[rnd.Next(Alphabet.Length)]); break;
                        case 2: sb[at] = Alphabet[rnd.Next(Alphabet.Length)]; break;
                        default:
                            var from = rnd.Next(sb.Length);
                            sb.Insert(at, sb.ToString(from, Math.Min(rnd.Next(1, 40), sb.Length - from)));
                            break;
                    }
                }
                var mutated = sb.ToString();
                try
                {
                    SpecLoader.LoadText(mutated, "fuzz.yaml");
                }
                catch (SpecException ex)
                {
                    Assert.True(ex.Problems.All(p => p.Code != SpecCodes.Internal), ex.Message + "\n---\n" + mutated);
                    Assert.NotEmpty(ex.Problems);
                }
            }
        }
    }
}
