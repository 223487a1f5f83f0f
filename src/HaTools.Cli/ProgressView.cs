using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HaTools.Core;

namespace HaTools.Cli;

/// <summary>Progress on stderr. To a terminal: one bar per activity, redrawn in place (cursor up, erase line) and
/// removed when the activity completes. Redirected: a plain line, written only when an activity's status text
/// changes, so a wait that polls every second does not print the same line over and over.</summary>
internal sealed class ProgressView
{
    private const string Esc = "\u001b[";
    private readonly TextWriter _err;
    private readonly bool _terminal;
    private readonly int _width;
    private readonly Dictionary<int, string> _lastPlain = new Dictionary<int, string>();
    private readonly List<(int Id, ProgressInfo Info)> _bars = new List<(int, ProgressInfo)>();
    private int _drawn;

    public ProgressView(TextWriter err, bool terminal, int width)
    {
        _err = err;
        _terminal = terminal;
        _width = Math.Max(40, width);
    }

    /// <summary>Bars in place when stderr is a terminal that can take them (not TERM=dumb).</summary>
    public static ProgressView ForConsole() =>
        new ProgressView(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } t && t != "dumb", ConsoleWidth());

    public void Update(ProgressInfo p)
    {
        var id = p.Id != 0 ? p.Id : p.Activity.GetHashCode();
        if (!_terminal)
        {
            if (p.Completed) { _lastPlain.Remove(id); return; }
            var text = p.Activity + ": " + p.Status;
            if (_lastPlain.TryGetValue(id, out var last) && last == text) return;
            _lastPlain[id] = text;
            _err.WriteLine($"[{p.Percent,3}%] {text}");
            return;
        }
        var i = _bars.FindIndex(b => b.Id == id);
        // A fan-out reported through Progress<T> ends at 100% without saying "completed": a full bar is a done one.
        if (p.Completed || p.Percent >= 100)
        {
            if (i < 0) return;
            _bars.RemoveAt(i);
        }
        else if (i >= 0) _bars[i] = (id, p);
        else _bars.Add((id, p));
        Redraw();
    }

    /// <summary>A line that is not progress (a warning, verbose text): above the bars, which are drawn again below it.</summary>
    public void Line(string text)
    {
        if (!_terminal) { _err.WriteLine(text); return; }
        Erase();
        _err.WriteLine(text);
        Redraw();
    }

    /// <summary>Before the result is printed: remove the bars (an activity that never said "completed" too).</summary>
    public void End()
    {
        _bars.Clear();
        _lastPlain.Clear();
        if (_terminal) Erase();
    }

    private void Redraw()
    {
        var up = _drawn;
        var lines = _bars.Select(b => Bar(b.Info)).ToList();
        if (up > 0) _err.Write($"{Esc}{up}A");
        foreach (var l in lines) _err.Write("\r" + Esc + "2K" + l + "\n");
        // Lines left over from bars that went away are blanked, and the cursor comes back under the last bar.
        for (var k = lines.Count; k < up; k++) _err.Write("\r" + Esc + "2K\n");
        if (up > lines.Count) _err.Write($"{Esc}{up - lines.Count}A");
        _drawn = lines.Count;
        _err.Flush();
    }

    private void Erase()
    {
        if (_drawn == 0) return;
        _err.Write($"{Esc}{_drawn}A");
        for (var k = 0; k < _drawn; k++) _err.Write("\r" + Esc + "2K\n");
        _err.Write($"{Esc}{_drawn}A");
        _drawn = 0;
        _err.Flush();
    }

    private string Bar(ProgressInfo p)
    {
        const int cells = 20;
        var percent = Math.Max(0, Math.Min(100, p.Percent));
        var filled = percent * cells / 100;
        var line = $"{p.Activity} [{new string('#', filled)}{new string('.', cells - filled)}] {percent,3}% {p.Status}";
        line = line.Replace('\r', ' ').Replace('\n', ' ');
        return line.Length < _width ? line : line.Substring(0, _width - 2) + "…";
    }

    private static int ConsoleWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
        catch (IOException) { return 80; }
        catch (InvalidOperationException) { return 80; }
    }
}
