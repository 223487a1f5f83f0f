#Requires -Version 7.0
# Get-HaStatus over several cluster files at once, against the lab cluster (real sshd, corosync, pacemaker).
# Lab test: needs HATOOLS_LAB=1 and the lab up (tests/lab/lab.sh up 3); bootstraps examples/lab.yaml if the cluster
# is not formed. The staged module must exist (dotnet run --project build/HelpGen -c Release -- stage --configuration Release).

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabClusters.ps1')
    if (-not $script:labSkip) {
        $script:work = Initialize-LabTest -Prefix multi
        $script:files = 1..4 | ForEach-Object { New-LabClusterFile -Folder $script:work -Name "lab-$_" }
        $null = Get-HaStatus -Path $script:files[0] # warm: the session has loaded everything once
    }
}

AfterAll {
    if ($script:work -and (Test-Path $script:work)) { Remove-Item $script:work -Recurse -Force }
}

Describe 'Get-HaStatus over several cluster files (lab)' -Tag Lab {
    It 'answers once per file, each naming its cluster and its file' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $all = @(Get-HaStatus -Path $script:files)
        $all.Count | Should -Be 4
        ($all.Name | Sort-Object) | Should -Be @('lab-1', 'lab-2', 'lab-3', 'lab-4')
        foreach ($s in $all) {
            $s.SourceFile | Should -Be (Join-Path $script:work "$($s.Name).yaml")
            $s.Quorate | Should -BeTrue
            @($s.Nodes).Count | Should -Be 3
        }
    }

    It 'takes file objects from the pipeline' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $all = @(Get-ChildItem -Path $script:work -Filter 'lab-*.yaml' | Get-HaStatus)
        ($all.SourceFile | Sort-Object) | Should -Be ($script:files | Sort-Object)
    }

    It 'asks four files at once in about the time of one (warm session, median of 10)' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        # Medians of 10: the lab shares 2 cores with whatever else runs. Printed for the CI log; only the order is asserted.
        function Get-Median([scriptblock] $Call) {
            $ms = @(1..10 | ForEach-Object { (Measure-Command $Call).TotalMilliseconds } | Sort-Object)
            [pscustomobject]@{ Median = ($ms[4] + $ms[5]) / 2; Min = $ms[0]; Max = $ms[9] }
        }
        $one = Get-Median { $null = Get-HaStatus -Path $script:files[0] }
        $four = Get-Median { $null = Get-HaStatus -Path $script:files }
        $serial = Get-Median { foreach ($f in $script:files) { $null = Get-HaStatus -Path $f } }
        Write-Host (("timing: Pester {0}, warm session: one Get-HaStatus median {1:N1} ms of 10 (min {2:N1}, max {3:N1}); " +
                "Get-HaStatus -Path a,b,c,d median {4:N1} ms (min {5:N1}, max {6:N1}); the 4 one after another median {7:N1} ms") -f
            (Get-Module Pester).Version, $one.Median, $one.Min, $one.Max, $four.Median, $four.Min, $four.Max, $serial.Median)
        $four.Median | Should -BeLessThan $serial.Median -Because "4 at once ($($four.Median) ms) must beat 4 in a row ($($serial.Median) ms)"
    }
}

Describe 'A hung cluster delays only its own answer (lab, node1 frozen)' -Tag Lab {
    BeforeAll {
        if (-not $script:labSkip) {
            $script:hung = New-LabClusterFile -Folder $script:work -Name 'hung' -Nodes node1
            $script:quick = 'quick-a', 'quick-b' | ForEach-Object { New-LabClusterFile -Folder $script:work -Name $_ -Nodes node2, node3 }
            & bash (Join-Path $script:root 'tests/lab/lab.sh') freeze node1
            if ($LASTEXITCODE -ne 0) { throw 'lab.sh freeze node1 failed' }
        }
    }

    AfterAll {
        if (-not $script:labSkip) { & bash (Join-Path $script:root 'tests/lab/lab.sh') thaw node1 }
    }

    It 'writes the answering clusters first and the hung one as its own error, later' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $arrived = @(Get-HaStatus -Path (@($script:hung) + $script:quick) -ErrorVariable failed -ErrorAction SilentlyContinue |
            ForEach-Object { [pscustomobject]@{ Name = $_.Name; At = $sw.Elapsed.TotalSeconds } })
        $total = $sw.Elapsed.TotalSeconds
        Write-Host ("timing: quick clusters answered at {0} s; the hung one gave up at {1:0.00} s" -f (($arrived.At | ForEach-Object { '{0:0.00}' -f $_ }) -join ', '), $total)
        ($arrived.Name | Sort-Object) | Should -Be @('quick-a', 'quick-b')
        $arrived | ForEach-Object { $_.At | Should -BeLessThan 3 -Because 'a frozen node in another cluster must not hold them back' }
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ClusterStateInvalid,*'
        $failed[0].TargetObject | Should -Be 'hung'
        $total | Should -BeGreaterThan ($arrived.At | Measure-Object -Maximum).Maximum
    }
}
