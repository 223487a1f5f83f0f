using System.Runtime.CompilerServices;
[assembly: InternalsVisibleTo("HaTools.Tests")]
