// HaTools manages clusters from Linux; these tests use real local processes (/proc) and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
