using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace HaTools.PowerShell.Infrastructure;

/// <summary>-Name filtering with wildcards, as Get-Process does: no names = everything; a plain name that matches
/// nothing is reported through <c>notFound</c> (a non-terminating ObjectNotFound error); a wildcard that matches nothing is silent.</summary>
internal static class NameFilter
{
    public static IEnumerable<T> Apply<T>(IEnumerable<T> items, Func<T, string?> name, IReadOnlyList<string>? patterns, Action<string> notFound)
    {
        var list = items.ToList();
        if (patterns == null || patterns.Count == 0) return list;
        var matched = new List<T>();
        foreach (var pattern in patterns)
        {
            var wildcard = WildcardPattern.ContainsWildcardCharacters(pattern);
            var p = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            var hits = list.Where(i => p.IsMatch(name(i) ?? "")).ToList();
            if (hits.Count == 0 && !wildcard) notFound(pattern);
            foreach (var h in hits) if (!matched.Contains(h)) matched.Add(h);
        }
        return matched;
    }
}
