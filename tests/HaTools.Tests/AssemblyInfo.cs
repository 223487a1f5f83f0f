// The tests run where HaTools manages clusters from: Linux (they use real processes, files and modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
