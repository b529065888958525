"""The audit log's table, and on PostgreSQL the trigger that keeps it append-only.

The trigger refuses UPDATE and DELETE of any row and TRUNCATE of the table, whatever the client
(the app, psql, a script). TRUNCATE alone is let through when the session has set
kim.audit_erase = 'on': only `manage.py flush` does (audit/management/commands/flush.py), to
erase the whole database. SQLite (`make run`) has no such trigger; the model refuses there.
"""

import django.utils.timezone
from django.db import migrations, models

from kimportal.lib.search import run_on_postgresql

FORWARD = """
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('kim.audit_erase', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- No percent sign here: the statement goes through the driver's placeholder parsing.
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='waktu')),
                ('actor_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='ID akun pelaku')),
                ('actor_role', models.CharField(blank=True, max_length=255, verbose_name='peran pelaku')),
                ('action', models.CharField(choices=[('kim.verified', 'KIM diverifikasi'), ('kim.rejected', 'Pendaftaran KIM ditolak (diminta perbaikan)'), ('kim.suspended', 'KIM dibekukan'), ('kim.reinstated', 'Pembekuan KIM dicabut'), ('kim.slug_changed', 'Alamat subdomain KIM diubah'), ('kim.trust_changed', 'Status tepercaya KIM diubah'), ('post.approved', 'Tulisan disetujui'), ('post.rejected', 'Tulisan dikembalikan'), ('post.taken_down', 'Tulisan diturunkan'), ('post.revision_approved', 'Perubahan tulisan disetujui'), ('post.revision_rejected', 'Perubahan tulisan ditolak'), ('post.reports_dismissed', 'Laporan tulisan ditutup, tulisan tayang lagi'), ('moderation.term_added', 'Kata terlarang ditambahkan'), ('moderation.term_removed', 'Kata terlarang dihapus'), ('siaran.published', 'Siaran diterbitkan'), ('siaran.updated', 'Siaran yang terbit diubah'), ('siaran.withdrawn', 'Siaran ditarik'), ('aspirasi.forwarded', 'Aspirasi diteruskan'), ('aspirasi.answered', 'Aspirasi ditanggapi'), ('aspirasi.closed', 'Aspirasi ditutup'), ('aspirasi.merged', 'Aspirasi digabung'), ('aspirasi.spam', 'Aspirasi ditandai spam'), ('staff.scope_granted', 'Cakupan staf diberikan'), ('staff.scope_removed', 'Cakupan staf dicabut'), ('auth.signed_in', 'Staf masuk'), ('auth.sign_in_failed', 'Gagal masuk ke akun staf')], max_length=40, verbose_name='tindakan')),
                ('target_kind', models.CharField(choices=[('kim', 'KIM'), ('post', 'Tulisan'), ('siaran', 'Siaran'), ('aspirasi', 'Aspirasi'), ('account', 'Akun'), ('term', 'Kata terlarang')], max_length=10, verbose_name='jenis sasaran')),
                ('target_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='ID sasaran')),
                ('target_label', models.CharField(blank=True, max_length=200, verbose_name='sasaran')),
                ('province_code', models.CharField(blank=True, max_length=13, verbose_name='kode provinsi')),
                ('regency_code', models.CharField(blank=True, max_length=13, verbose_name='kode kabupaten/kota')),
                ('detail', models.JSONField(blank=True, default=dict, verbose_name='rincian')),
            ],
            options={
                'verbose_name': 'peristiwa audit',
                'verbose_name_plural': 'log audit',
                'indexes': [models.Index(fields=['-occurred_at', '-id'], name='audit_newest_idx'), models.Index(fields=['action', '-occurred_at', '-id'], name='audit_action_idx'), models.Index(fields=['actor_id', '-occurred_at', '-id'], name='audit_actor_idx'), models.Index(fields=['province_code', '-occurred_at', '-id'], name='audit_province_idx'), models.Index(fields=['regency_code', '-occurred_at', '-id'], name='audit_regency_idx')],
            },
        ),
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
