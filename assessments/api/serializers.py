"""Serializers for assessments and questions.

`LearnerOptionSerializer` and `LearnerQuestionSerializer` are the only shapes in which questions
reach a learner before they submit: they have no `is_correct` and no `explanation`. Attempts and
the assessment detail both use them.
"""

from rest_framework import serializers

from assessments.models import Option, Question


class LearnerOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "text", "position"]
        read_only_fields = fields


class LearnerQuestionSerializer(serializers.ModelSerializer):
    options = LearnerOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "type", "points", "position", "options"]
        read_only_fields = fields
