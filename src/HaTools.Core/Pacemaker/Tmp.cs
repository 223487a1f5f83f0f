namespace HaTools.Core.Pacemaker;
public sealed class PacemakerProvider { }
